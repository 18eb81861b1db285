//! Magic words whose value follows from the page: `{{PAGENAME}}` and its family from the page's
//! title, `{{CURRENTYEAR}}` and the other date words from the revision's timestamp.
//!
//! Invariants: the title is split once into namespace and name ([`PageFacts::new`]); a date word
//! has a value only when the input gives a timestamp (a dump's or a JSON Lines record's
//! revision), never from the clock of the machine, so that a run is reproducible; `LOCAL…` words
//! are the `CURRENT…` ones (zh.wikipedia's server time is UTC). Names of months and days follow
//! the wiki's content language ([`ContentLanguage`]).

use super::super::ContentLanguage;

/// Canonical namespace names by number, and the zh.wikipedia aliases a title may be written
/// with. zh.wikipedia names its namespaces in English (`Template:`, `Category:`), with Chinese
/// aliases (`模板:`, `分类:`) that resolve to them.
const NAMESPACES: &[(i32, &str, &[&str])] = &[
    (-2, "Media", &["媒体"]),
    (-1, "Special", &["特殊"]),
    (1, "Talk", &["讨论", "討論"]),
    (2, "User", &["用户", "用戶", "使用者"]),
    (3, "User talk", &["用户讨论", "用戶討論", "使用者討論"]),
    (4, "Wikipedia", &["Project", "维基百科", "維基百科", "WP"]),
    (
        5,
        "Wikipedia talk",
        &["Project talk", "维基百科讨论", "維基百科討論", "WT"],
    ),
    (6, "File", &["Image", "文件", "檔案", "图像", "圖像"]),
    (7, "File talk", &["Image talk", "文件讨论", "檔案討論"]),
    (8, "MediaWiki", &[]),
    (9, "MediaWiki talk", &[]),
    (10, "Template", &["模板", "样板", "樣板"]),
    (11, "Template talk", &["模板讨论", "模板討論"]),
    (12, "Help", &["帮助", "幫助"]),
    (13, "Help talk", &["帮助讨论", "幫助討論"]),
    (14, "Category", &["分类", "分類"]),
    (15, "Category talk", &["分类讨论", "分類討論"]),
    (100, "Portal", &["主题", "主題"]),
    (101, "Portal talk", &["主题讨论", "主題討論"]),
    (102, "WikiProject", &["专题", "專題"]),
    (103, "WikiProject talk", &["专题讨论", "專題討論"]),
    (118, "Draft", &["草稿"]),
    (119, "Draft talk", &["草稿讨论", "草稿討論"]),
    (828, "Module", &["模块", "模組"]),
    (829, "Module talk", &["模块讨论", "模組討論"]),
];

/// What the page says of itself: its title split into namespace and name, and the revision's
/// time.
#[derive(Debug, Clone, Default)]
pub(in super::super) struct PageFacts {
    /// The namespace's number (0 for articles).
    namespace: i32,
    /// The namespace's name as the title writes it (empty for articles).
    namespace_name: String,
    /// The title without its namespace, spaces for underscores, first letter upper case.
    name: String,
    time: Option<Time>,
    language: ContentLanguage,
}

/// A moment in UTC, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Time {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl PageFacts {
    /// `title`: the page's full title; `namespace`: what the dump says (`None` for a loose file,
    /// then the title's prefix decides); `timestamp`: the revision's (`2024-01-31T12:00:00Z`).
    pub(in super::super) fn new(
        title: &str,
        namespace: Option<i32>,
        timestamp: Option<&str>,
        language: ContentLanguage,
    ) -> Self {
        let title = normalize_title(title);
        let (mut number, mut namespace_name, mut name) = (0, String::new(), title.clone());
        if let Some((prefix, rest)) = title.split_once(':') {
            let prefix = prefix.trim();
            let known = NAMESPACES.iter().find(|(_, canonical, aliases)| {
                canonical.eq_ignore_ascii_case(prefix) || aliases.contains(&prefix)
            });
            let wanted = namespace.filter(|&n| n != 0);
            match (known, wanted) {
                (Some(&(n, canonical, _)), None) => {
                    number = n;
                    namespace_name = canonical.to_owned();
                    name = normalize_title(rest);
                }
                (_, Some(n)) => {
                    number = n;
                    namespace_name = known.map_or(prefix.to_owned(), |k| k.1.to_owned());
                    name = normalize_title(rest);
                }
                (None, None) => {}
            }
        }
        PageFacts {
            namespace: number,
            namespace_name,
            name,
            time: timestamp.and_then(parse_timestamp),
            language,
        }
    }

    fn full(&self) -> String {
        if self.namespace_name.is_empty() {
            self.name.clone()
        } else {
            format!("{}:{}", self.namespace_name, self.name)
        }
    }

    /// Subpages (`A/B`) exist outside articles, files and categories, as on zh.wikipedia.
    fn has_subpages(&self) -> bool {
        !matches!(self.namespace, 0 | 6 | 14 | -1 | -2)
    }

    fn talk_namespace(&self) -> (i32, String) {
        let talk = if self.namespace >= 0 && self.namespace % 2 == 0 {
            self.namespace + 1
        } else {
            self.namespace
        };
        (talk, namespace_name(talk))
    }

    fn subject_namespace(&self) -> String {
        if self.namespace > 0 && self.namespace % 2 == 1 {
            namespace_name(self.namespace - 1)
        } else {
            self.namespace_name.clone()
        }
    }

    /// The value of a magic word that takes no argument, or `None` when the word is not one of
    /// the page's (or its value is not in the input: a date word without a timestamp).
    pub(in super::super) fn value(&self, word: &str) -> Option<String> {
        let (base, encoded) = match word.strip_suffix('E') {
            Some(base) if is_name_word(base) => (base, true),
            _ => (word, false),
        };
        if is_name_word(base) {
            let value = self.name_word(base);
            return Some(if encoded { url_encode(&value) } else { value });
        }
        match word {
            "NAMESPACENUMBER" => return Some(self.namespace.to_string()),
            "TALKSPACE" | "TALKSPACEE" => {
                let value = self.talk_namespace().1;
                return Some(if word.ends_with('E') {
                    url_encode(&value)
                } else {
                    value
                });
            }
            "SUBJECTSPACE" | "ARTICLESPACE" | "SUBJECTSPACEE" | "ARTICLESPACEE" => {
                let value = self.subject_namespace();
                return Some(if word.ends_with('E') {
                    url_encode(&value)
                } else {
                    value
                });
            }
            _ => {}
        }
        let rest = word
            .strip_prefix("CURRENT")
            .or_else(|| word.strip_prefix("LOCAL"))?;
        if !is_date_word(rest) {
            return None;
        }
        let time = self.time?;
        Some(date_word(rest, time, self.language))
    }

    fn name_word(&self, word: &str) -> String {
        let base = |name: &str| -> String {
            if self.has_subpages() {
                name.rsplit_once('/').map_or(name, |(b, _)| b).to_owned()
            } else {
                name.to_owned()
            }
        };
        match word {
            "PAGENAME" => self.name.clone(),
            "FULLPAGENAME" => self.full(),
            "BASEPAGENAME" => base(&self.name),
            "ROOTPAGENAME" => {
                if self.has_subpages() {
                    self.name.split('/').next().unwrap_or_default().to_owned()
                } else {
                    self.name.clone()
                }
            }
            "SUBPAGENAME" => {
                if self.has_subpages() {
                    self.name.rsplit('/').next().unwrap_or_default().to_owned()
                } else {
                    self.name.clone()
                }
            }
            "NAMESPACE" => self.namespace_name.clone(),
            "TALKPAGENAME" => {
                let (_, talk) = self.talk_namespace();
                if talk.is_empty() {
                    self.name.clone()
                } else {
                    format!("{talk}:{}", self.name)
                }
            }
            // "SUBJECTPAGENAME" | "ARTICLEPAGENAME"
            _ => {
                let subject = self.subject_namespace();
                if subject.is_empty() {
                    self.name.clone()
                } else {
                    format!("{subject}:{}", self.name)
                }
            }
        }
    }
}

fn is_name_word(word: &str) -> bool {
    matches!(
        word,
        "PAGENAME"
            | "FULLPAGENAME"
            | "BASEPAGENAME"
            | "ROOTPAGENAME"
            | "SUBPAGENAME"
            | "NAMESPACE"
            | "TALKPAGENAME"
            | "SUBJECTPAGENAME"
            | "ARTICLEPAGENAME"
    )
}

fn is_date_word(rest: &str) -> bool {
    matches!(
        rest,
        "YEAR"
            | "MONTH"
            | "MONTH1"
            | "MONTH2"
            | "MONTHNAME"
            | "MONTHNAMEGEN"
            | "MONTHABBREV"
            | "DAY"
            | "DAY2"
            | "DOW"
            | "DAYNAME"
            | "TIME"
            | "HOUR"
            | "WEEK"
            | "TIMESTAMP"
    )
}

/// True for the magic words of this module (whether or not the page gives their value).
pub(in super::super) fn is_page_word(word: &str) -> bool {
    let base = word.strip_suffix('E').filter(|b| is_name_word(b));
    is_name_word(word)
        || base.is_some()
        || matches!(
            word,
            "NAMESPACENUMBER"
                | "TALKSPACE"
                | "TALKSPACEE"
                | "SUBJECTSPACE"
                | "SUBJECTSPACEE"
                | "ARTICLESPACE"
                | "ARTICLESPACEE"
        )
        || word
            .strip_prefix("CURRENT")
            .or_else(|| word.strip_prefix("LOCAL"))
            .is_some_and(is_date_word)
}

fn namespace_name(number: i32) -> String {
    NAMESPACES
        .iter()
        .find(|(n, _, _)| *n == number)
        .map_or(String::new(), |(_, name, _)| (*name).to_owned())
}

/// A title as MediaWiki stores it: underscores as spaces, runs of spaces as one, trimmed, first
/// letter upper case.
fn normalize_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for word in title.split(['_', ' ']).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

/// MediaWiki's encoding of a title in a URL (`wfUrlencode`): spaces as `_`, bytes other than
/// letters, digits and `-_.~;:@$!*(),/` as `%XX`.
fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        match b {
            b' ' => out.push('_'),
            b'a'..=b'z'
            | b'A'..=b'Z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b';'
            | b':'
            | b'@'
            | b'$'
            | b'!'
            | b'*'
            | b'('
            | b')'
            | b','
            | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `2024-01-31T12:00:00Z` (a dump's form), or MediaWiki's `20240131120000`.
fn parse_timestamp(text: &str) -> Option<Time> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let number = |range: std::ops::Range<usize>| digits.get(range)?.parse::<u32>().ok();
    if digits.len() < 8 {
        return None;
    }
    let time = Time {
        year: i64::from(number(0..4)?),
        month: number(4..6)?,
        day: number(6..8)?,
        hour: number(8..10).unwrap_or(0),
        minute: number(10..12).unwrap_or(0),
        second: number(12..14).unwrap_or(0),
    };
    let valid = (1..=12).contains(&time.month)
        && (1..=days_in_month(time.year, time.month)).contains(&time.day)
        && time.hour < 24
        && time.minute < 60
        && time.second < 61;
    valid.then_some(time)
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (the civil-from-days algorithm in reverse).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// 0 for Sunday … 6 for Saturday.
fn day_of_week(time: Time) -> u32 {
    // 1970-01-01 was a Thursday.
    u32::try_from((days_from_civil(time.year, time.month, time.day) + 4).rem_euclid(7)).unwrap_or(0)
}

/// The ISO 8601 week number (PHP's `date('W')`).
fn iso_week(time: Time) -> u32 {
    let days = days_from_civil(time.year, time.month, time.day);
    // Monday = 1 … Sunday = 7.
    let weekday = (days + 3).rem_euclid(7) + 1;
    let thursday = days - weekday + 4;
    let year_of_thursday = year_of_day(thursday);
    let first = days_from_civil(year_of_thursday, 1, 1);
    u32::try_from((thursday - first) / 7 + 1).unwrap_or(1)
}

fn year_of_day(days: i64) -> i64 {
    let mut year = 1970 + days.div_euclid(366);
    while days_from_civil(year + 1, 1, 1) <= days {
        year += 1;
    }
    year
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// zh.wikipedia's names of the days (its `CURRENTDAYNAME`).
const DAYS_ZH: [&str; 7] = [
    "星期日",
    "星期一",
    "星期二",
    "星期三",
    "星期四",
    "星期五",
    "星期六",
];

fn date_word(rest: &str, time: Time, language: ContentLanguage) -> String {
    let month_index = (time.month - 1) as usize;
    let english = language == ContentLanguage::English;
    match rest {
        "YEAR" => time.year.to_string(),
        "MONTH" | "MONTH2" => format!("{:02}", time.month),
        "MONTH1" => time.month.to_string(),
        "MONTHNAME" | "MONTHNAMEGEN" if english => MONTHS[month_index].to_owned(),
        "MONTHABBREV" if english => MONTHS[month_index][..3].to_owned(),
        "MONTHNAME" | "MONTHNAMEGEN" | "MONTHABBREV" => format!("{}月", time.month),
        "DAY" => time.day.to_string(),
        "DAY2" => format!("{:02}", time.day),
        "DOW" => day_of_week(time).to_string(),
        "DAYNAME" if english => DAYS[day_of_week(time) as usize].to_owned(),
        "DAYNAME" => DAYS_ZH[day_of_week(time) as usize].to_owned(),
        "TIME" => format!("{:02}:{:02}", time.hour, time.minute),
        "HOUR" => format!("{:02}", time.hour),
        "WEEK" => iso_week(time).to_string(),
        // "TIMESTAMP"
        _ => format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}",
            time.year, time.month, time.day, time.hour, time.minute, time.second
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(title: &str, namespace: Option<i32>) -> PageFacts {
        PageFacts::new(
            title,
            namespace,
            Some("2024-02-29T23:05:09Z"),
            ContentLanguage::Chinese,
        )
    }

    #[test]
    fn names_follow_the_title() {
        let page = facts("Wikipedia:格式手册/标点_符号", Some(4));
        assert_eq!(page.value("PAGENAME").unwrap(), "格式手册/标点 符号");
        assert_eq!(page.value("NAMESPACE").unwrap(), "Wikipedia");
        assert_eq!(page.value("BASEPAGENAME").unwrap(), "格式手册");
        assert_eq!(page.value("SUBPAGENAME").unwrap(), "标点 符号");
        assert_eq!(
            page.value("TALKPAGENAME").unwrap(),
            "Wikipedia talk:格式手册/标点 符号"
        );
        assert_eq!(
            page.value("FULLPAGENAMEE").unwrap(),
            "Wikipedia:%E6%A0%BC%E5%BC%8F%E6%89%8B%E5%86%8C/%E6%A0%87%E7%82%B9_%E7%AC%A6%E5%8F%B7"
        );
        let article = facts("AC/DC", None);
        assert_eq!(article.value("BASEPAGENAME").unwrap(), "AC/DC");
        assert_eq!(article.value("NAMESPACE").unwrap(), "");
        assert_eq!(article.value("TALKPAGENAME").unwrap(), "Talk:AC/DC");
        let template = facts("模板:Infobox", None);
        assert_eq!(template.value("FULLPAGENAME").unwrap(), "Template:Infobox");
        assert_eq!(template.value("NAMESPACENUMBER").unwrap(), "10");
    }

    #[test]
    fn dates_follow_the_timestamp() {
        let page = facts("X", None);
        assert_eq!(page.value("CURRENTYEAR").unwrap(), "2024");
        assert_eq!(page.value("CURRENTMONTHNAME").unwrap(), "2月");
        assert_eq!(page.value("CURRENTDAYNAME").unwrap(), "星期四");
        assert_eq!(page.value("LOCALTIME").unwrap(), "23:05");
        assert_eq!(page.value("CURRENTWEEK").unwrap(), "9");
        assert_eq!(page.value("CURRENTTIMESTAMP").unwrap(), "20240229230509");
        let loose = PageFacts::new("X", None, None, ContentLanguage::Chinese);
        assert_eq!(loose.value("CURRENTYEAR"), None);
        let epoch = PageFacts::new("X", None, Some("19700101000203"), ContentLanguage::English);
        assert_eq!(epoch.value("CURRENTDAYNAME").unwrap(), "Thursday");
        assert_eq!(epoch.value("CURRENTWEEK").unwrap(), "1");
        assert_eq!(epoch.value("CURRENTMONTHABBREV").unwrap(), "Jan");
        let late = PageFacts::new(
            "X",
            None,
            Some("2021-01-03T00:00:00Z"),
            ContentLanguage::English,
        );
        assert_eq!(late.value("CURRENTWEEK").unwrap(), "53");
    }
}
