//! MediaWiki's expression language (`{{#expr:…}}`, `{{#ifexpr:…}}`): numbers, `e` and `pi`,
//! `+ - * / div mod fmod ^ round`, comparisons, `and or not`, and the functions `sin cos tan asin
//! acos atan exp ln abs trunc floor ceil sqrt`.
//!
//! Invariants: operators bind as in MediaWiki (unary signs and functions tightest, then `^`, then
//! `* / mod`, then `+ -`, then `round`, comparisons, `and`, `or`; all left-associative, so
//! `2^3^2` is 64 and `-2^2` is 4); every number is a double; a result is written as PHP writes a
//! double (14 significant digits, `1.0E+20`); an error is MediaWiki's English error text, as the
//! page shows it.

/// Nesting of operators and brackets beyond which evaluation stops, as MediaWiki's does.
const MAX_STACK: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Negative,
    Positive,
    Not,
    Function(Func),
    Exponent,
    Pow,
    Times,
    Divide,
    Mod,
    Fmod,
    Plus,
    Minus,
    Round,
    Equal,
    NotEqual,
    Less,
    Greater,
    LessEqual,
    GreaterEqual,
    And,
    Or,
    Open,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Func {
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Exp,
    Ln,
    Abs,
    Trunc,
    Floor,
    Ceil,
    Sqrt,
}

impl Op {
    fn precedence(self) -> i32 {
        match self {
            Op::Negative | Op::Positive | Op::Exponent => 10,
            Op::Not | Op::Function(_) => 9,
            Op::Pow => 8,
            Op::Times | Op::Divide | Op::Mod | Op::Fmod => 7,
            Op::Plus | Op::Minus => 6,
            Op::Round => 5,
            Op::Equal
            | Op::NotEqual
            | Op::Less
            | Op::Greater
            | Op::LessEqual
            | Op::GreaterEqual => 4,
            Op::And => 3,
            Op::Or => 2,
            Op::Open => -1,
        }
    }

    fn is_unary(self) -> bool {
        matches!(
            self,
            Op::Negative | Op::Positive | Op::Not | Op::Function(_)
        )
    }

    /// The operator as an error message names it.
    fn name(self) -> &'static str {
        match self {
            Op::Negative | Op::Minus => "-",
            Op::Positive | Op::Plus => "+",
            Op::Not => "not",
            Op::Function(f) => match f {
                Func::Sin => "sin",
                Func::Cos => "cos",
                Func::Tan => "tan",
                Func::Asin => "asin",
                Func::Acos => "acos",
                Func::Atan => "atan",
                Func::Exp => "exp",
                Func::Ln => "ln",
                Func::Abs => "abs",
                Func::Trunc => "trunc",
                Func::Floor => "floor",
                Func::Ceil => "ceil",
                Func::Sqrt => "sqrt",
            },
            Op::Exponent => "e",
            Op::Pow => "^",
            Op::Times => "*",
            Op::Divide => "/",
            Op::Mod => "mod",
            Op::Fmod => "fmod",
            Op::Round => "round",
            Op::Equal => "=",
            Op::NotEqual => "<>",
            Op::Less => "<",
            Op::Greater => ">",
            Op::LessEqual => "<=",
            Op::GreaterEqual => ">=",
            Op::And => "and",
            Op::Or => "or",
            Op::Open => "(",
        }
    }
}

/// Evaluates `expression`: `Ok` with the value as MediaWiki writes it (empty for an empty
/// expression), or `Err` with the error text MediaWiki shows.
pub(super) fn evaluate(expression: &str) -> Result<String, String> {
    Ok(match value(expression)? {
        Some(number) => php_number(number),
        None => String::new(),
    })
}

/// The value of `expression`, `None` when it is empty.
pub(super) fn value(expression: &str) -> Result<Option<f64>, String> {
    let mut operands: Vec<f64> = Vec::new();
    let mut operators: Vec<Op> = Vec::new();
    let mut expecting_operand = true;
    let chars: Vec<char> = expression.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if operands.len() > MAX_STACK || operators.len() > MAX_STACK {
            return Err("Expression error: Stack exhausted.".to_owned());
        }
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            if !expecting_operand {
                return Err("Expression error: Unexpected number.".to_owned());
            }
            let text: String = chars[start..i].iter().collect();
            operands.push(leading_number(&text));
            expecting_operand = false;
            continue;
        }
        if c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect::<String>().to_lowercase();
            let op = match word.as_str() {
                "e" if expecting_operand => {
                    operands.push(std::f64::consts::E);
                    expecting_operand = false;
                    continue;
                }
                "pi" => {
                    if !expecting_operand {
                        return Err("Expression error: Unexpected number.".to_owned());
                    }
                    operands.push(std::f64::consts::PI);
                    expecting_operand = false;
                    continue;
                }
                "e" => Op::Exponent,
                "mod" => Op::Mod,
                "fmod" => Op::Fmod,
                "div" => Op::Divide,
                "round" => Op::Round,
                "and" => Op::And,
                "or" => Op::Or,
                "not" => Op::Not,
                "sin" => Op::Function(Func::Sin),
                "cos" => Op::Function(Func::Cos),
                "tan" => Op::Function(Func::Tan),
                "asin" => Op::Function(Func::Asin),
                "acos" => Op::Function(Func::Acos),
                "atan" => Op::Function(Func::Atan),
                "exp" => Op::Function(Func::Exp),
                "ln" => Op::Function(Func::Ln),
                "abs" => Op::Function(Func::Abs),
                "trunc" => Op::Function(Func::Trunc),
                "floor" => Op::Function(Func::Floor),
                "ceil" => Op::Function(Func::Ceil),
                "sqrt" => Op::Function(Func::Sqrt),
                _ => return Err(format!("Expression error: Unrecognized word \"{word}\".")),
            };
            push_operator(op, &mut expecting_operand, &mut operands, &mut operators)?;
            continue;
        }
        let next = chars.get(i + 1).copied();
        let (op, width) = match (c, next) {
            ('(', _) => {
                if !expecting_operand {
                    return Err("Expression error: Unexpected ( operator.".to_owned());
                }
                operators.push(Op::Open);
                i += 1;
                continue;
            }
            (')', _) => {
                loop {
                    match operators.pop() {
                        Some(Op::Open) => break,
                        Some(op) => apply(op, &mut operands)?,
                        None => {
                            return Err("Expression error: Unexpected closing bracket.".to_owned());
                        }
                    }
                }
                expecting_operand = false;
                i += 1;
                continue;
            }
            ('+', _) if expecting_operand => (Op::Positive, 1),
            ('-' | '\u{2212}', _) if expecting_operand => (Op::Negative, 1),
            ('+', _) => (Op::Plus, 1),
            ('-' | '\u{2212}', _) => (Op::Minus, 1),
            ('*', _) => (Op::Times, 1),
            ('/', _) => (Op::Divide, 1),
            ('^', _) => (Op::Pow, 1),
            ('=', _) => (Op::Equal, 1),
            ('<', Some('=')) => (Op::LessEqual, 2),
            ('<', Some('>')) => (Op::NotEqual, 2),
            ('<', _) => (Op::Less, 1),
            ('>', Some('=')) => (Op::GreaterEqual, 2),
            ('>', _) => (Op::Greater, 1),
            ('!', Some('=')) => (Op::NotEqual, 2),
            _ => {
                return Err(format!(
                    "Expression error: Unrecognized punctuation character \"{c}\"."
                ));
            }
        };
        i += width;
        push_operator(op, &mut expecting_operand, &mut operands, &mut operators)?;
    }
    while let Some(op) = operators.pop() {
        if op == Op::Open {
            return Err("Expression error: Unclosed bracket.".to_owned());
        }
        apply(op, &mut operands)?;
    }
    Ok(operands.last().copied())
}

fn push_operator(
    op: Op,
    expecting_operand: &mut bool,
    operands: &mut Vec<f64>,
    operators: &mut Vec<Op>,
) -> Result<(), String> {
    if op.is_unary() {
        if !*expecting_operand {
            return Err(format!(
                "Expression error: Unexpected {} operator.",
                op.name()
            ));
        }
        operators.push(op);
        return Ok(());
    }
    if *expecting_operand {
        return Err(format!(
            "Expression error: Unexpected {} operator.",
            op.name()
        ));
    }
    while let Some(&top) = operators.last() {
        if op.precedence() > top.precedence() {
            break;
        }
        operators.pop();
        apply(top, operands)?;
    }
    operators.push(op);
    *expecting_operand = true;
    Ok(())
}

fn apply(op: Op, operands: &mut Vec<f64>) -> Result<(), String> {
    let missing = || format!("Expression error: Missing operand for {}.", op.name());
    if op.is_unary() {
        let x = operands.pop().ok_or_else(missing)?;
        let value = match op {
            Op::Negative => -x,
            Op::Positive => x,
            Op::Not => f64::from(u8::from(x == 0.0)),
            Op::Function(f) => function(f, x)?,
            _ => unreachable!("unary operators only"),
        };
        operands.push(value);
        return Ok(());
    }
    let right = operands.pop().ok_or_else(missing)?;
    let left = operands.pop().ok_or_else(missing)?;
    let truth = |b: bool| f64::from(u8::from(b));
    let value = match op {
        Op::Exponent => left * 10f64.powf(right),
        Op::Pow => {
            let value = left.powf(right);
            if value.is_nan() {
                return Err("Expression error: In ^: result is not a number.".to_owned());
            }
            value
        }
        Op::Times => left * right,
        Op::Divide => {
            if right == 0.0 {
                return Err("Division by zero.".to_owned());
            }
            left / right
        }
        Op::Mod => {
            // PHP's `%`: both sides truncated to integers.
            let (l, r) = (left.trunc(), right.trunc());
            if r == 0.0 {
                return Err("Division by zero.".to_owned());
            }
            l % r
        }
        Op::Fmod => {
            if right == 0.0 {
                return Err("Division by zero.".to_owned());
            }
            left % right
        }
        Op::Plus => left + right,
        Op::Minus => left - right,
        Op::Round => round(left, right),
        Op::Equal => truth(left == right),
        Op::NotEqual => truth(left != right),
        Op::Less => truth(left < right),
        Op::Greater => truth(left > right),
        Op::LessEqual => truth(left <= right),
        Op::GreaterEqual => truth(left >= right),
        Op::And => truth(left != 0.0 && right != 0.0),
        Op::Or => truth(left != 0.0 || right != 0.0),
        _ => unreachable!("binary operators only"),
    };
    operands.push(value);
    Ok(())
}

fn function(f: Func, x: f64) -> Result<f64, String> {
    let out_of_range = |name: &str| format!("Invalid argument for {name}: < -1 or > 1.");
    Ok(match f {
        Func::Sin => x.sin(),
        Func::Cos => x.cos(),
        Func::Tan => x.tan(),
        Func::Asin if !(-1.0..=1.0).contains(&x) => return Err(out_of_range("asin")),
        Func::Asin => x.asin(),
        Func::Acos if !(-1.0..=1.0).contains(&x) => return Err(out_of_range("acos")),
        Func::Acos => x.acos(),
        Func::Atan => x.atan(),
        Func::Exp => x.exp(),
        Func::Ln if x <= 0.0 => return Err("Invalid argument for ln: <= 0.".to_owned()),
        Func::Ln => x.ln(),
        Func::Abs => x.abs(),
        Func::Trunc => x.trunc(),
        Func::Floor => x.floor(),
        Func::Ceil => x.ceil(),
        Func::Sqrt if x < 0.0 => {
            return Err("Expression error: In sqrt: result is not a number.".to_owned());
        }
        Func::Sqrt => x.sqrt(),
    })
}

/// PHP's `round($x, $digits)`: half away from zero, `digits` truncated to an integer and
/// negative for tens, hundreds …
fn round(x: f64, digits: f64) -> f64 {
    let digits = digits.trunc().clamp(-308.0, 308.0) as i32;
    let factor = 10f64.powi(digits.abs());
    if digits >= 0 {
        let scaled = x * factor;
        if !scaled.is_finite() {
            return x;
        }
        scaled.round() / factor
    } else {
        (x / factor).round() * factor
    }
}

/// The number a run of digits and dots starts with, as PHP casts it (`1.2.3` is 1.2).
fn leading_number(text: &str) -> f64 {
    let end = text
        .char_indices()
        .filter(|&(_, c)| c == '.')
        .nth(1)
        .map_or(text.len(), |(i, _)| i);
    let number = &text[..end];
    if number == "." {
        0.0
    } else {
        number.parse().unwrap_or(0.0)
    }
}

/// A double as PHP writes it (`precision` 14): `3`, `0.33333333333333`, `1.0E+20`, `INF`.
pub(super) fn php_number(x: f64) -> String {
    if x.is_nan() {
        return "NAN".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "INF" } else { "-INF" }.to_owned();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    let scientific = format!("{x:.13e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if !(-4..14).contains(&exponent) {
        let mut mantissa = mantissa.trim_end_matches('0').to_owned();
        if mantissa.ends_with('.') {
            mantissa.push('0');
        }
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}E{sign}{}", exponent.abs());
    }
    let decimals = usize::try_from(13 - exponent).unwrap_or(0);
    let fixed = format!("{x:.decimals$}");
    if fixed.contains('.') {
        fixed.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        fixed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluates_as_mediawiki() {
        let cases = [
            ("1 + 2 * 3", "7"),
            ("(1 + 2) * 3", "9"),
            ("2^3^2", "64"),
            ("-2^2", "4"),
            ("1/3", "0.33333333333333"),
            ("10 mod 3", "1"),
            ("-7 mod 3", "-1"),
            ("7.5 mod 2", "1"),
            ("3.14159 round 2", "3.14"),
            ("1234 round -2", "1200"),
            ("2.5 round 0", "3"),
            ("1e3", "1000"),
            ("e", "2.718281828459"),
            ("pi", "3.1415926535898"),
            ("1e20", "1.0E+20"),
            ("3 = 3", "1"),
            ("3 <> 3", "0"),
            ("1 and 0 or 1", "1"),
            ("not 0", "1"),
            ("floor -1.5", "-2"),
            ("trunc 2.7 + 1", "3"),
            ("abs -3", "3"),
            ("sqrt 16", "4"),
            ("1 + 2 round 0", "3"),
            ("", ""),
            ("0.0001", "0.0001"),
            ("0.00001", "1.0E-5"),
            ("100000000000000", "1.0E+14"),
            ("99999999999999", "99999999999999"),
        ];
        for (expression, expected) in cases {
            assert_eq!(
                evaluate(expression).as_deref(),
                Ok(expected),
                "{expression}"
            );
        }
    }

    #[test]
    fn errors_are_mediawikis_text() {
        let cases = [
            ("1/0", "Division by zero."),
            ("1 mod 0", "Division by zero."),
            ("1 +", "Expression error: Missing operand for +."),
            ("(1", "Expression error: Unclosed bracket."),
            ("1)", "Expression error: Unexpected closing bracket."),
            ("1 2", "Expression error: Unexpected number."),
            ("* 2", "Expression error: Unexpected * operator."),
            ("foo", "Expression error: Unrecognized word \"foo\"."),
            (
                "1 # 2",
                "Expression error: Unrecognized punctuation character \"#\".",
            ),
            ("ln 0", "Invalid argument for ln: <= 0."),
            ("asin 2", "Invalid argument for asin: < -1 or > 1."),
        ];
        for (expression, expected) in cases {
            assert_eq!(
                evaluate(expression),
                Err(expected.to_owned()),
                "{expression}"
            );
        }
    }
}
