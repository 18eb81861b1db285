//! Chinese script conversion over zhnorm documents (placeholder: identity until the engines land).

use zhnorm_doc::Document;

/// Sets the document's language tag. (Placeholder.)
pub fn convert_document(doc: &mut Document, lang: &str) {
    doc.lang = lang.to_owned();
}
