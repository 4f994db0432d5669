//! Files as spreadsheets save them: byte-order marks, Windows-1252 text,
//! semicolons or tabs between fields.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The character encoding of an export.
///
/// ```
/// use lead_decay::calibrate::Encoding;
///
/// assert_eq!("windows-1252".parse::<Encoding>()?, Encoding::Windows1252);
/// assert_eq!("cp1252".parse::<Encoding>()?, Encoding::Windows1252);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Encoding {
    /// UTF-8 when the whole file is valid UTF-8, else Windows-1252 (with a
    /// warning naming the first line that is not UTF-8). A UTF-16 file is
    /// recognised by its byte-order mark.
    #[default]
    Auto,
    /// UTF-8 (a byte-order mark is dropped); invalid bytes are an error
    /// naming their line.
    Utf8,
    /// Windows-1252 (the "ANSI" code page of Western European Windows,
    /// which Excel uses for "CSV (comma delimited)"); every byte is a
    /// character.
    Windows1252,
}

impl Encoding {
    /// `"auto"`, `"utf-8"` or `"windows-1252"`.
    pub const fn name(self) -> &'static str {
        match self {
            Encoding::Auto => "auto",
            Encoding::Utf8 => "utf-8",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Encoding {
    type Err = Error;

    fn from_str(text: &str) -> Result<Encoding> {
        match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "auto" => Ok(Encoding::Auto),
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "windows-1252" | "cp1252" | "cp-1252" | "ansi" | "latin1" | "latin-1" | "iso-8859-1" => {
                Ok(Encoding::Windows1252)
            }
            _ => Err(Error::invalid(
                "encoding",
                format!("{text:?}"),
                "auto, utf-8 or windows-1252",
            )),
        }
    }
}

/// Text decoded from a file, and what decoding it took.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub text: String,
    /// Auto fell back to Windows-1252: the line of the first byte that is
    /// not UTF-8.
    pub fallback_line: Option<u64>,
}

/// Decodes `bytes` (dropping a byte-order mark).
///
/// # Errors
///
/// Invalid UTF-8 with [`Encoding::Utf8`] (field `encoding`, naming the
/// line); an odd-length or invalid UTF-16 file.
pub(crate) fn decode(bytes: Vec<u8>, encoding: Encoding) -> Result<Decoded> {
    if let Some(rest) = bytes
        .strip_prefix(&[0xFF, 0xFE])
        .or_else(|| bytes.strip_prefix(&[0xFE, 0xFF]))
        && encoding != Encoding::Windows1252
    {
        let little = bytes[0] == 0xFF;
        return utf16(rest, little).map(|text| Decoded {
            text,
            fallback_line: None,
        });
    }
    let plain = |text: String| Decoded {
        text,
        fallback_line: None,
    };
    match encoding {
        Encoding::Windows1252 => Ok(plain(windows_1252(&bytes))),
        Encoding::Utf8 | Encoding::Auto => {
            let mut bytes = bytes;
            if bytes.starts_with(b"\xEF\xBB\xBF") {
                bytes.drain(..3);
            }
            match String::from_utf8(bytes) {
                Ok(text) => Ok(plain(text)),
                Err(e) => {
                    let body = e.as_bytes();
                    let e = e.utf8_error();
                    let line = 1 + body[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() as u64;
                    if encoding == Encoding::Utf8 {
                        return Err(Error::invalid(
                            "encoding",
                            format!("bytes that are not UTF-8 on line {line}"),
                            "a UTF-8 file (or --encoding windows-1252 / auto for a file saved by Excel as \"CSV\")",
                        ));
                    }
                    Ok(Decoded {
                        text: windows_1252(body),
                        fallback_line: Some(line),
                    })
                }
            }
        }
    }
}

fn utf16(bytes: &[u8], little: bool) -> Result<String> {
    if !bytes.len().is_multiple_of(2) {
        return Err(Error::invalid(
            "encoding",
            "an odd number of bytes after a UTF-16 byte-order mark",
            "UTF-16 text",
        ));
    }
    let units = bytes.chunks_exact(2).map(|p| {
        if little {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    char::decode_utf16(units)
        .collect::<std::result::Result<String, _>>()
        .map_err(|e| Error::invalid("encoding", e, "valid UTF-16 text"))
}

/// The characters of Windows-1252 bytes 0x80 to 0x9F (the WHATWG Encoding
/// Standard's index, which browsers use; the five bytes it leaves
/// unassigned map to the C1 control of the same number, as there). Every
/// other byte is the Unicode character of the same number (Latin-1).
///
/// A table of 32 characters instead of a dependency: the encoding is one
/// byte per character and fixed since 1998.
const WINDOWS_1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{02C6}',
    '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}', '\u{0090}', '\u{2018}',
    '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{02DC}', '\u{2122}', '\u{0161}',
    '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

fn windows_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => WINDOWS_1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

/// The delimiter of the header line: the most frequent of `,`, `;`, tab
/// and `|` outside quotes (a comma when none occurs).
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0), (b'|', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(slot) = counts.iter_mut().find(|(d, _)| *d == b) {
            slot.1 += 1;
        }
    }
    // The first of the most frequent wins ties, so a comma beats the rest.
    let best = counts
        .iter()
        .fold(counts[0], |best, &c| if c.1 > best.1 { c } else { best });
    if best.1 == 0 { b',' } else { best.0 }
}

/// Parses a delimiter option: `auto` (`None`), `,`, `;`, `tab` (or `\t`),
/// `|`, or any single ASCII character.
///
/// # Errors
///
/// Anything longer, or not ASCII (field `delimiter`).
pub fn parse_delimiter(text: &str) -> Result<Option<u8>> {
    match text {
        "auto" => Ok(None),
        "tab" | "\\t" | "\t" => Ok(Some(b'\t')),
        "comma" => Ok(Some(b',')),
        "semicolon" => Ok(Some(b';')),
        t if t.len() == 1 && t.is_ascii() && t != "\"" && t != "\n" && t != "\r" => Ok(Some(t.as_bytes()[0])),
        _ => Err(Error::invalid(
            "delimiter",
            format!("{text:?}"),
            "auto, \",\", \";\", tab, \"|\" or another single ASCII character",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_reads_the_euro_sign_and_umlauts() {
        let decoded = decode(b"Stra\xDFe;\x80 5;M\xFCller\n".to_vec(), Encoding::Auto).unwrap();
        assert_eq!(decoded.text, "Straße;€ 5;Müller\n");
        assert_eq!(decoded.fallback_line, Some(1));
        assert_eq!(windows_1252(&[0x9F, 0x81, 0x41]), "Ÿ\u{81}A");
        assert!(
            decode(b"a\n\xFF".to_vec(), Encoding::Utf8)
                .unwrap_err()
                .to_string()
                .contains("line 2")
        );
    }

    #[test]
    fn byte_order_marks_are_dropped() {
        assert_eq!(decode(b"\xEF\xBB\xBFa,b".to_vec(), Encoding::Auto).unwrap().text, "a,b");
        assert_eq!(
            decode(b"\xFF\xFEa\0,\0b\0".to_vec(), Encoding::Auto).unwrap().text,
            "a,b"
        );
    }

    #[test]
    fn the_header_decides_the_delimiter() {
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2,5;3\n"), b';');
        assert_eq!(sniff_delimiter("\"a,x\"\tb\tc\n"), b'\t');
        assert_eq!(sniff_delimiter("a,b\n"), b',');
        assert_eq!(sniff_delimiter("abc\n"), b',');
    }
}
