//! A Sigma string value as a matcher: plain parts and the `*` / `?` wildcards (escaped ones are
//! plain), case-insensitive unless the rule says `|cased`, anchored at both ends unless
//! `|contains`, `|startswith` or `|endswith` opened one.

use rsigma_parser::{SigmaString, SpecialChar, StringPart};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Text(Vec<char>),
    Any,
    One,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pattern {
    pieces: Vec<Piece>,
    cased: bool,
}

/// Which ends of a value the pattern is free at.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Anchor {
    Whole,
    Contains,
    StartsWith,
    EndsWith,
}

impl Pattern {
    pub(crate) fn new(value: &SigmaString, anchor: Anchor, cased: bool) -> Pattern {
        let fold = |s: &str| -> Vec<char> {
            if cased {
                s.chars().collect()
            } else {
                s.chars().flat_map(char::to_lowercase).collect()
            }
        };
        let mut pieces = Vec::new();
        if matches!(anchor, Anchor::Contains | Anchor::EndsWith) {
            pieces.push(Piece::Any);
        }
        for part in &value.parts {
            pieces.push(match part {
                StringPart::Plain(s) => Piece::Text(fold(s)),
                StringPart::Special(SpecialChar::WildcardMulti) => Piece::Any,
                StringPart::Special(SpecialChar::WildcardSingle) => Piece::One,
            });
        }
        if matches!(anchor, Anchor::Contains | Anchor::StartsWith) {
            pieces.push(Piece::Any);
        }
        Pattern { pieces, cased }
    }

    /// Whether `text` matches. Linear-ish: one backtrack point per `*`, as the filter's globs.
    pub(crate) fn matches(&self, text: &str) -> bool {
        let t: Vec<char> = if self.cased {
            text.chars().collect()
        } else {
            text.chars().flat_map(char::to_lowercase).collect()
        };
        // Flatten to single-character steps: Some(c) literal, None for `?`, and `*` marks.
        let mut steps: Vec<Step> = Vec::new();
        for p in &self.pieces {
            match p {
                Piece::Text(cs) => steps.extend(cs.iter().map(|&c| Step::Char(c))),
                Piece::Any => steps.push(Step::Star),
                Piece::One => steps.push(Step::One),
            }
        }
        let (mut pi, mut ti) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while ti < t.len() {
            match steps.get(pi) {
                Some(Step::Star) => {
                    star = Some((pi, ti));
                    pi += 1;
                }
                Some(Step::One) => {
                    pi += 1;
                    ti += 1;
                }
                Some(Step::Char(c)) if *c == t[ti] => {
                    pi += 1;
                    ti += 1;
                }
                _ => match star {
                    Some((sp, st)) => {
                        pi = sp + 1;
                        ti = st + 1;
                        star = Some((sp, st + 1));
                    }
                    None => return false,
                },
            }
        }
        steps[pi..].iter().all(|s| *s == Step::Star)
    }
}

#[derive(Copy, Clone, PartialEq, Eq)]
enum Step {
    Char(char),
    One,
    Star,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str, anchor: Anchor) -> Pattern {
        Pattern::new(&SigmaString::new(s), anchor, false)
    }

    #[test]
    fn sigma_strings_match_as_sigma_means() {
        assert!(p("StopLogging", Anchor::Whole).matches("stoplogging"));
        assert!(!p("StopLogging", Anchor::Whole).matches("StopLoggingX"));
        assert!(p("S3 Browser", Anchor::Contains).matches("aws-cli S3 browser 9"));
        assert!(p("Delete", Anchor::StartsWith).matches("DeleteTrail"));
        assert!(!p("Delete", Anchor::StartsWith).matches("UndeleteTrail"));
        assert!(p("Trail", Anchor::EndsWith).matches("DeleteTrail"));
        assert!(p("Get*Token", Anchor::Whole).matches("GetSigninToken"));
        assert!(p("a?c", Anchor::Whole).matches("abc"));
        // An escaped star is a star.
        assert!(p("a\\*c", Anchor::Whole).matches("a*c"));
        assert!(!p("a\\*c", Anchor::Whole).matches("abc"));
        let cased = Pattern::new(&SigmaString::new("Admin"), Anchor::Whole, true);
        assert!(!cased.matches("admin"));
    }

    #[test]
    fn hostile_values_stay_cheap() {
        let long = "a".repeat(20_000);
        assert!(!p("*a*a*a*a*b", Anchor::Whole).matches(&long));
    }
}
