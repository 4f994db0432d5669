//! Amounts as CRMs and spreadsheets write them: `$14,611.90`,
//! `14.611,90 €`, `EUR 14 611,90`, `14611.9`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How numbers in the deal-value column are written.
///
/// ```
/// use lead_decay::calibrate::NumberLocale;
///
/// assert_eq!(NumberLocale::En.parse_amount("$14,611.90"), Some(14_611.9));
/// assert_eq!(NumberLocale::De.parse_amount("14.611,90 €"), Some(14_611.9));
/// assert_eq!(NumberLocale::Fr.parse_amount("14 611,90 EUR"), Some(14_611.9));
/// assert_eq!(NumberLocale::En.parse_amount("14.611,90"), None);
/// assert_eq!("de".parse::<NumberLocale>()?, NumberLocale::De);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum NumberLocale {
    /// Decide from the column's values: a column where every value reads
    /// the same way in English and German notation, or where some values
    /// can only be one of them, is read that way; a column whose values
    /// read differently (`1,500`: 1500 or 1.5) and none decides, or where
    /// values disagree, is refused with an error asking for a locale.
    #[default]
    Auto,
    /// `1,234.56`: decimal point, comma (or space, apostrophe) between
    /// thousands. English, also Chinese, Japanese, Korean, Hindi.
    En,
    /// `1.234,56`: decimal comma, point (or space, apostrophe) between
    /// thousands. German, also Spanish, Italian, Dutch, Portuguese,
    /// Danish, Turkish.
    De,
    /// `1 234,56`: decimal comma, space (including no-break spaces) or
    /// point between thousands. French, also Scandinavian, Polish,
    /// Czech, Russian.
    Fr,
}

impl NumberLocale {
    /// `"auto"`, `"en"`, `"de"` or `"fr"`.
    pub const fn name(self) -> &'static str {
        match self {
            NumberLocale::Auto => "auto",
            NumberLocale::En => "en",
            NumberLocale::De => "de",
            NumberLocale::Fr => "fr",
        }
    }

    /// Reads an amount written in this locale, with an optional currency
    /// symbol or code before or after it (`$`, `€`, `USD`, `US$`, `kr`,
    /// ...) and optional thousands separators, which must split the
    /// integer part in groups of three. A minus sign or parentheses make it
    /// negative. `None` when it is not such a number; [`NumberLocale::Auto`]
    /// accepts a value that reads the same in English and German notation.
    pub fn parse_amount(self, text: &str) -> Option<f64> {
        self.parse_amount_and_currency(text).map(|(v, _)| v)
    }

    /// [`NumberLocale::parse_amount`] with the currency marker written
    /// beside the number (empty if none), from one reading of the text.
    pub(crate) fn parse_amount_and_currency(self, text: &str) -> Option<(f64, &str)> {
        if let Some(v) = scientific(text) {
            return Some((v, Amount::split(text).map_or("", |a| a.currency)));
        }
        let amount = Amount::split(text)?;
        let value = match self {
            NumberLocale::Auto => match (amount.read(b'.'), amount.read(b',')) {
                (Some(a), Some(b)) if a == b => Some(a),
                (Some(a), None) | (None, Some(a)) => Some(a),
                _ => None,
            },
            NumberLocale::En => amount.read(b'.'),
            NumberLocale::De | NumberLocale::Fr => amount.read(b','),
        }?;
        Some((value, amount.currency))
    }
}

impl fmt::Display for NumberLocale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for NumberLocale {
    type Err = Error;

    fn from_str(text: &str) -> Result<NumberLocale> {
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(NumberLocale::Auto),
            "en" | "us" | "uk" | "gb" => Ok(NumberLocale::En),
            "de" | "es" | "it" | "nl" | "pt" | "da" | "tr" => Ok(NumberLocale::De),
            "fr" | "sv" | "no" | "nb" | "fi" | "pl" | "cs" | "ru" => Ok(NumberLocale::Fr),
            _ => Err(Error::invalid(
                "number_locale",
                format!("{text:?}"),
                "auto, en (1,234.56), de (1.234,56) or fr (1 234,56)",
            )),
        }
    }
}

/// A number in scientific notation as programs write it (`1.5e6`), the
/// same in every locale.
fn scientific(text: &str) -> Option<f64> {
    let t = text.trim();
    if !t.contains(['e', 'E'])
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// An amount split into its currency marker, sign and digits.
#[derive(Debug)]
pub(crate) struct Amount<'a> {
    pub currency: &'a str,
    negative: bool,
    body: &'a str,
}

const SPACES: [char; 3] = [' ', '\u{a0}', '\u{202f}'];

fn is_currency_char(c: char) -> bool {
    matches!(
        c,
        '$' | '€'
            | '£'
            | '¥'
            | '¢'
            | '₹'
            | '₽'
            | '₩'
            | '₺'
            | '₪'
            | '₫'
            | '₱'
            | '₴'
            | '₦'
            | '฿'
            | '₡'
            | '₲'
            | '₵'
            | '₸'
            | '₼'
            | '₾'
            | '.'
    ) || c.is_alphabetic()
}

impl<'a> Amount<'a> {
    pub(crate) fn split(text: &'a str) -> Option<Amount<'a>> {
        let mut t = text.trim_matches(|c: char| c.is_whitespace() || SPACES.contains(&c));
        let mut negative = false;
        if let Some(inner) = t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
            negative = true;
            t = inner.trim();
        }
        if let Some(rest) = t.strip_prefix('-') {
            negative = !negative;
            t = rest.trim_start();
        }
        let is_number_char = |c: char| c.is_ascii_digit();
        let start = t.find(is_number_char)?;
        let end = t.rfind(is_number_char)? + 1;
        let (prefix, suffix) = (t[..start].trim(), t[end..].trim());
        let mut prefix = prefix.trim_matches(|c: char| SPACES.contains(&c));
        if let Some(rest) = prefix.strip_suffix('-') {
            negative = !negative;
            prefix = rest.trim();
        }
        let suffix = suffix.trim_matches(|c: char| SPACES.contains(&c));
        let currency = match (prefix.is_empty(), suffix.is_empty()) {
            (true, true) => "",
            (false, true) => prefix,
            (true, false) => suffix,
            (false, false) => return None,
        };
        let valid_currency = currency.chars().count() <= 4
            && currency.chars().all(is_currency_char)
            && currency.chars().any(|c| c != '.');
        if !currency.is_empty() && !valid_currency {
            return None;
        }
        Some(Amount {
            currency: currency.trim_end_matches('.'),
            negative,
            body: &t[start..end],
        })
    }

    /// The value with `decimal` as the decimal separator; the other
    /// separators between groups of three digits.
    fn read(&self, decimal: u8) -> Option<f64> {
        let body = self.body;
        let (integer, fraction) = match body.rfind(decimal as char) {
            Some(i) => (&body[..i], Some(&body[i + 1..])),
            None => (body, None),
        };
        if let Some(f) = fraction
            && (f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let group =
            |c: char| (c == '.' || c == ',' || c == '\'' || c == '’' || SPACES.contains(&c)) && c != decimal as char;
        let mut digits = String::with_capacity(body.len());
        let mut separator: Option<char> = None;
        for (i, part) in integer.split(group).enumerate() {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            if (i == 0 && part.len() > 3 && integer.contains(group)) || (i > 0 && part.len() != 3) {
                return None;
            }
            digits.push_str(part);
        }
        // One kind of thousands separator per value.
        for c in integer.chars().filter(|c| !c.is_ascii_digit()) {
            if separator.is_some_and(|s| s != c) {
                return None;
            }
            separator = Some(c);
        }
        if let Some(f) = fraction {
            digits.push('.');
            digits.push_str(f);
        }
        let value: f64 = digits.parse().ok()?;
        value.is_finite().then_some(if self.negative { -value } else { value })
    }
}

/// How one value votes on the locale of its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Vote {
    /// Reads only in English notation.
    En,
    /// Reads only in German / French notation.
    De,
    /// Reads the same either way (`1500`, `1 500`).
    Either,
    /// Reads differently (`1,500`, `1.500`).
    Ambiguous,
    /// Reads in neither.
    Unreadable,
}

/// How `text` votes on the locale of its column.
pub(crate) fn vote(text: &str) -> Vote {
    if scientific(text).is_some() {
        return Vote::Either;
    }
    let Some(amount) = Amount::split(text) else {
        return Vote::Unreadable;
    };
    match (amount.read(b'.'), amount.read(b',')) {
        (Some(a), Some(b)) if a == b => Vote::Either,
        (Some(_), Some(_)) => Vote::Ambiguous,
        (Some(_), None) => Vote::En,
        (None, Some(_)) => Vote::De,
        (None, None) => Vote::Unreadable,
    }
}

/// Decides the locale of a column from its values (`(line, text)`), for
/// [`NumberLocale::Auto`].
///
/// # Errors
///
/// Values that read only in English next to values that read only in
/// German notation, or values that read differently in each with none to
/// decide (field `number_locale`, naming the column and lines).
pub(crate) fn decide<'a>(column: &str, values: impl Iterator<Item = (u64, &'a str)>) -> Result<NumberLocale> {
    let mut first_en: Option<(u64, &str)> = None;
    let mut first_de: Option<(u64, &str)> = None;
    let mut first_ambiguous: Option<(u64, &str)> = None;
    for (line, text) in values {
        match vote(text) {
            Vote::En => {
                first_en.get_or_insert((line, text));
            }
            Vote::De => {
                first_de.get_or_insert((line, text));
            }
            Vote::Ambiguous => {
                first_ambiguous.get_or_insert((line, text));
            }
            Vote::Either | Vote::Unreadable => {}
        }
    }
    match (first_en, first_de, first_ambiguous) {
        (Some((l1, en)), Some((l2, de)), _) => Err(Error::invalid(
            "number_locale",
            format!(
                "column {column:?} mixes notations: {en:?} (line {l1}) reads only as English, {de:?} (line {l2}) only as German"
            ),
            "one notation per column; give --number-locale en, de or fr to read it one way (the others are then reported as unreadable)",
        )),
        (Some(_), None, _) => Ok(NumberLocale::En),
        (None, Some(_), _) => Ok(NumberLocale::De),
        (None, None, Some((line, text))) => {
            let amount = Amount::split(text).expect("an ambiguous value splits");
            Err(Error::invalid(
                "number_locale",
                format!(
                    "column {column:?} is ambiguous: {text:?} (line {line}) reads as {} in English notation and {} in German, and no value decides",
                    amount.read(b'.').unwrap_or(f64::NAN),
                    amount.read(b',').unwrap_or(f64::NAN)
                ),
                "--number-locale en (1,234.56) or de (1.234,56) or fr (1 234,56)",
            ))
        }
        (None, None, None) => Ok(NumberLocale::En),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crm_amounts_read_in_their_locale() {
        for (text, locale, value) in [
            ("$14,611.90", NumberLocale::En, 14_611.9),
            ("USD 14,611.90", NumberLocale::En, 14_611.9),
            ("14611.9", NumberLocale::En, 14_611.9),
            ("US$1,000", NumberLocale::En, 1_000.0),
            ("14.611,90 €", NumberLocale::De, 14_611.9),
            ("€ 14.611,90", NumberLocale::De, 14_611.9),
            ("14\u{a0}611,90\u{a0}€", NumberLocale::Fr, 14_611.9),
            ("1’234.50 CHF", NumberLocale::En, 1_234.5),
            ("(500.00)", NumberLocale::En, -500.0),
            ("-$500", NumberLocale::En, -500.0),
            ("1.5e6", NumberLocale::De, 1_500_000.0),
        ] {
            assert_eq!(locale.parse_amount(text), Some(value), "{text}");
        }
        for text in ["abc", "12 apples 3", "1,23,456.00", "1.2.3", "", "$", "1,5"] {
            assert_eq!(NumberLocale::En.parse_amount(text), None, "{text}");
        }
    }

    #[test]
    fn auto_decides_per_column_and_refuses_ambiguity() {
        let column = |values: &[&'static str]| decide("Amount", values.iter().map(|v| (2, *v)));
        assert_eq!(column(&["$1,500", "$14,611.90"]).unwrap(), NumberLocale::En);
        assert_eq!(column(&["1.500 €", "14.611,90 €"]).unwrap(), NumberLocale::De);
        assert_eq!(column(&["1500", "200"]).unwrap(), NumberLocale::En);
        let err = column(&["1,500", "2,000"]).unwrap_err().to_string();
        assert!(err.contains("ambiguous") && err.contains("\"Amount\""), "{err}");
        let err = column(&["1,500.00", "2.000,00"]).unwrap_err().to_string();
        assert!(err.contains("mixes notations"), "{err}");
    }
}
