//! The texts a sender or receiver may have hashed for `staffInfo` and `content`: the raw
//! text, what each named library writes, a bounded product of serializer choices, and
//! the non-JSON mistakes (a part stringified, empty, URL-decoded, the wrong staffInfo).
//! Each form carries the families that name it, taken from what its bytes change.

use std::collections::HashMap;

use super::choices;
use super::compare::{self, Difference};
use super::profiles::{Profile, PROFILES};
use super::stringify::{self, JavaNumbers};
use super::tree::{self, Node};
use super::writer::{self, Style};

/// Forms with more families than this are not kept: they would rarely be the real cause.
pub(crate) const MAX_FAMILIES: usize = 4;

/// Which parts a form changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    Both,
    StaffOnly,
    ContentOnly,
}

/// One candidate pair of texts.
#[derive(Debug, Clone)]
pub(crate) struct Form {
    pub(crate) staff: String,
    pub(crate) content: String,
    pub(crate) differences: Vec<Difference>,
    pub(crate) scope: Scope,
    /// Every named library whose output this is (both parts): one names the library;
    /// several only say it is common.
    pub(crate) profiles: Vec<&'static Profile>,
}

impl Form {
    /// The one library that writes exactly this, when only one of those cbtool knows
    /// does and the bytes show a habit that is its own.
    pub(crate) fn profile(&self) -> Option<&'static Profile> {
        match self.profiles.as_slice() {
            [one] if self.families().any(|f| one.telling.contains(&f)) => Some(one),
            _ => None,
        }
    }
}

impl Form {
    pub(crate) fn families(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.differences.iter().map(|d| d.family)
    }
}

/// The raw texts of the two parts, and their trees.
pub(crate) struct Parts<'a> {
    pub(crate) staff: &'a str,
    pub(crate) content: &'a str,
    /// The `staffInfo` inside `content`, when there is one.
    pub(crate) inner_staff: Option<&'a str>,
    /// `content` in its other JSON form (a quoted string for an object, and back).
    pub(crate) content_other_form: String,
}

/// How much of the search a body of this size gets: every combination of choices for a
/// callback of ordinary size, the named libraries only for a large one, and no
/// re-serialization at all past [`HUGE`] (each form is a copy of the parts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    Full,
    Libraries,
    RawOnly,
}

/// Parts larger than this (bytes, both together) get only the named libraries.
pub(crate) const LARGE: usize = 16 * 1024;
/// Parts larger than this get no re-serialization.
pub(crate) const HUGE: usize = 256 * 1024;

impl Reach {
    pub(crate) fn for_size(bytes: usize) -> Reach {
        match bytes {
            b if b > HUGE => Reach::RawOnly,
            b if b > LARGE => Reach::Libraries,
            _ => Reach::Full,
        }
    }
}

/// Every distinct form, fewest families first (named libraries first among equals).
pub(crate) fn all(parts: &Parts, reach: Reach) -> Vec<Form> {
    let trees = match reach {
        Reach::RawOnly => (None, None),
        _ => (tree::parse(parts.staff), tree::parse(parts.content)),
    };
    let (staff_tree, content_tree) = trees;
    let mut out = Forms::new(parts);
    out.push_raw(
        parts.staff.to_string(),
        parts.content.to_string(),
        Vec::new(),
        Scope::Both,
    );
    if let (Some(s), Some(c)) = (&staff_tree, &content_tree) {
        for profile in PROFILES {
            out.styled(s, c, &profile.style, profile.part_newline, Some(profile));
        }
        if reach == Reach::Full {
            for style in choices::product(&[s, c]) {
                out.styled(s, c, &style, false, None);
            }
        }
        out.stringified(s, c);
    }
    out.other_mistakes();
    let mut forms = out.forms;
    forms.sort_by_key(|f| (f.differences.len(), f.profiles.is_empty()));
    forms
}

struct Forms<'p> {
    parts: &'p Parts<'p>,
    forms: Vec<Form>,
    /// Where each distinct pair of texts is in `forms`.
    seen: HashMap<(String, String), usize>,
    /// Differences of each part's texts already compared: many styles write a part the
    /// same way, and comparing is the costly step.
    staff_memo: HashMap<String, Option<Vec<Difference>>>,
    content_memo: HashMap<String, Option<Vec<Difference>>>,
}

impl<'p> Forms<'p> {
    fn new(parts: &'p Parts<'p>) -> Self {
        Forms {
            parts,
            forms: Vec::new(),
            seen: HashMap::new(),
            staff_memo: HashMap::new(),
            content_memo: HashMap::new(),
        }
    }

    fn push_raw(
        &mut self,
        staff: String,
        content: String,
        differences: Vec<Difference>,
        scope: Scope,
    ) {
        self.push(Form {
            staff,
            content,
            differences,
            scope,
            profiles: Vec::new(),
        });
    }

    fn push(&mut self, form: Form) {
        if form.differences.len() > MAX_FAMILIES {
            return;
        }
        let key = (form.staff.clone(), form.content.clone());
        match self.seen.get(&key) {
            Some(&i) => {
                let known = &mut self.forms[i];
                for p in form.profiles {
                    if !known.profiles.iter().any(|k| k.id == p.id) {
                        known.profiles.push(p);
                    }
                }
            }
            None => {
                self.seen.insert(key, self.forms.len());
                self.forms.push(form);
            }
        }
    }

    /// Both parts (and each alone) written in `style`; families from what changed.
    fn styled(
        &mut self,
        s: &Node,
        c: &Node,
        style: &Style,
        newline: bool,
        profile: Option<&'static Profile>,
    ) {
        let staff = writer::write(s, style);
        let content = writer::write(c, style);
        let raw = (self.parts.staff, self.parts.content);
        let staff_diff = memo(&mut self.staff_memo, raw.0, &staff);
        let content_diff = memo(&mut self.content_memo, raw.1, &content);
        let (Some(staff_diff), Some(content_diff)) = (staff_diff, content_diff) else {
            return;
        };
        let suffix = if newline { "\n" } else { "" };
        let (staff, content) = (staff + suffix, content + suffix);
        for (scope, st, ct, lists) in [
            (
                Scope::Both,
                staff.as_str(),
                content.as_str(),
                vec![&staff_diff, &content_diff],
            ),
            (Scope::StaffOnly, staff.as_str(), raw.1, vec![&staff_diff]),
            (
                Scope::ContentOnly,
                raw.0,
                content.as_str(),
                vec![&content_diff],
            ),
        ] {
            if st == raw.0 && ct == raw.1 {
                continue;
            }
            self.push(Form {
                staff: st.to_string(),
                content: ct.to_string(),
                differences: union(&lists, newline),
                scope,
                profiles: profile
                    .filter(|_| scope == Scope::Both)
                    .into_iter()
                    .collect(),
            });
        }
    }

    fn stringified(&mut self, s: &Node, c: &Node) {
        let ways = [
            (
                stringify::javascript(s),
                stringify::javascript(c),
                "JavaScript's `'' + obj` ([object Object])",
            ),
            (
                stringify::python(s),
                stringify::python(c),
                "Python's `str(dict)`",
            ),
            (stringify::go(s), stringify::go(c), "Go's `fmt.Sprint` (%v)"),
            (
                "Array".into(),
                "Array".into(),
                "PHP's string conversion of an array (`Array`)",
            ),
            (
                stringify::java(s, JavaNumbers::Doubles),
                stringify::java(c, JavaNumbers::Doubles),
                "Java's `Map.toString()` of a Gson Map",
            ),
            (
                stringify::java(s, JavaNumbers::Mixed),
                stringify::java(c, JavaNumbers::Mixed),
                "Java's `Map.toString()` of a Jackson Map",
            ),
        ];
        for (staff, content, how) in ways {
            self.each_scope(staff, content, "stringified_part", how);
        }
    }

    fn other_mistakes(&mut self) {
        for empty in ["", "undefined", "null", "None"] {
            let shown = if empty.is_empty() {
                "an empty string".to_string()
            } else {
                format!("`{empty}`")
            };
            self.each_scope(
                empty.into(),
                empty.into(),
                "empty_part",
                &format!("the part was {shown}"),
            );
        }
        let (staff, content) = (self.parts.staff.to_string(), self.parts.content.to_string());
        if let Some(inner) = self.parts.inner_staff {
            self.push_raw(
                inner.to_string(),
                content.clone(),
                one("inner_staff_info", ""),
                Scope::StaffOnly,
            );
        }
        let newline = (format!("{staff}\n"), format!("{content}\n"));
        self.push_raw(newline.0, newline.1, one("part_newline", ""), Scope::Both);
        let other = self.parts.content_other_form.clone();
        self.push_raw(
            staff.clone(),
            other,
            one("content_as_string", ""),
            Scope::ContentOnly,
        );
        let decoded = (url_decode(&staff), url_decode(&content));
        if decoded != (staff.clone(), content.clone()) {
            let example = first_url_change(&staff, &content);
            self.push_raw(
                decoded.0,
                decoded.1,
                one("url_decoded", &example),
                Scope::Both,
            );
        }
    }

    fn each_scope(&mut self, staff: String, content: String, family: &'static str, how: &str) {
        let raw = (self.parts.staff.to_string(), self.parts.content.to_string());
        for (scope, st, ct) in [
            (Scope::Both, staff.clone(), content.clone()),
            (Scope::StaffOnly, staff.clone(), raw.1.clone()),
            (Scope::ContentOnly, raw.0.clone(), content.clone()),
        ] {
            if (st.as_str(), ct.as_str()) != (raw.0.as_str(), raw.1.as_str()) {
                self.push_raw(st, ct, one(family, how), scope);
            }
        }
    }
}

fn one(family: &'static str, example: &str) -> Vec<Difference> {
    vec![Difference {
        family,
        example: example.to_string(),
    }]
}

/// The differences between a part's raw text and `new`, compared once per distinct text.
fn memo(
    memo: &mut HashMap<String, Option<Vec<Difference>>>,
    raw: &str,
    new: &str,
) -> Option<Vec<Difference>> {
    if let Some(known) = memo.get(new) {
        return known.clone();
    }
    let found = compare::differences(raw, new);
    memo.insert(new.to_string(), found.clone());
    found
}

/// The families of several parts' differences together, each once.
fn union(lists: &[&Vec<Difference>], newline: bool) -> Vec<Difference> {
    let mut list: Vec<Difference> = Vec::new();
    for d in lists.iter().flat_map(|l| l.iter()) {
        if !list.iter().any(|e| e.family == d.family) {
            list.push(d.clone());
        }
    }
    compare::merge_python_default(&mut list);
    if newline {
        list.push(Difference {
            family: "part_newline",
            example: String::new(),
        });
    }
    list
}

/// `application/x-www-form-urlencoded` decoding, as `unquote_plus` and PHP's `urldecode` do.
fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match text.get(i + 1..i + 3).map(|h| u8::from_str_radix(h, 16)) {
                Some(Ok(b)) => {
                    out.push(b);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn first_url_change(staff: &str, content: &str) -> String {
    let text = format!("{staff}{content}");
    match text.find(['+', '%']) {
        Some(i) => {
            let shown: String = text[i..].chars().take(3).collect();
            format!("`{shown}` became `{}`", url_decode(&shown))
        }
        None => String::new(),
    }
}
