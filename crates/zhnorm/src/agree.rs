//! Cross-format agreement between two documents of the same article (placeholder).
