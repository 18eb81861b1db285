//! HTML entities: `&amp;`, `&nbsp;`, `&#…;` and `&#x…;`, decoded to characters.
//!
//! Invariant: an unknown or malformed entity is left as text, byte for byte.

/// Decodes one HTML entity at the start of `bytes`; returns the character and its length.
pub(super) fn decode_entity(bytes: &[u8]) -> Option<(char, usize)> {
    let semi = bytes.iter().take(12).position(|&b| b == b';')?;
    let body = std::str::from_utf8(&bytes[1..semi]).ok()?;
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        match body {
            "nbsp" => '\u{a0}',
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "ndash" => '–',
            "mdash" => '—',
            "middot" => '·',
            "hellip" => '…',
            "times" => '×',
            "minus" => '−',
            "deg" => '°',
            "copy" => '©',
            "reg" => '®',
            "lsquo" => '‘',
            "rsquo" => '’',
            "ldquo" => '“',
            "rdquo" => '”',
            "laquo" => '«',
            "raquo" => '»',
            "thinsp" => '\u{2009}',
            "ensp" => '\u{2002}',
            "emsp" => '\u{2003}',
            "zwj" => '\u{200d}',
            "zwnj" => '\u{200c}',
            "bull" => '•',
            "prime" => '′',
            "plusmn" => '±',
            "sup2" => '²',
            "sup3" => '³',
            "frac12" => '½',
            "alpha" => 'α',
            "beta" => 'β',
            "gamma" => 'γ',
            "delta" => 'δ',
            "pi" => 'π',
            "hbar" => 'ℏ',
            "psi" => 'ψ',
            "lambda" => 'λ',
            "mu" => 'μ',
            "omega" => 'ω',
            "rarr" => '→',
            "larr" => '←',
            _ => return None,
        }
    };
    Some((c, semi + 1))
}

pub(super) fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        match decode_entity(&rest.as_bytes()[p..]) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[p + len..];
            }
            None => {
                out.push('&');
                rest = &rest[p + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}
