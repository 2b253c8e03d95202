//! People, phones and plates as the vendors' users write them, in Chinese or English.

use super::rng::Rng;

/// The language a sample's free text is written in; the documents come in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Locale {
    Zh,
    En,
}

impl Locale {
    pub(crate) fn draw(rng: &mut Rng) -> Locale {
        if rng.chance(50) {
            Locale::Zh
        } else {
            Locale::En
        }
    }

    /// The text for this locale out of a `(zh, en)` pair.
    pub(crate) fn text<'a>(self, pair: &(&'a str, &'a str)) -> &'a str {
        match self {
            Locale::Zh => pair.0,
            Locale::En => pair.1,
        }
    }
}

const ZH_FAMILY: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
];
const ZH_GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "缘圆",
    "建国", "海峰", "晓东", "志强", "秀英", "子涵", "雨桐", "浩然", "梓萱",
];
const EN_FAMILY: &[&str] = &[
    "Brown", "Smith", "Jones", "Taylor", "Wilson", "Davies", "Evans", "Thomas", "Johnson",
    "Roberts", "Walker", "Wright",
];
const EN_GIVEN: &[&str] = &[
    "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Noah", "Sophie", "Leo",
    "Grace",
];
/// Province abbreviations that open Chinese plates.
const PROVINCES: &[&str] = &[
    "京", "沪", "津", "渝", "冀", "晋", "辽", "吉", "黑", "苏", "浙", "皖", "闽", "赣", "鲁", "豫",
    "鄂", "湘", "粤", "桂", "琼", "川", "贵", "云", "陕", "甘",
];
/// Plate letters: I and O are not used on Chinese or British plates.
const PLATE_LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
/// Chinese mobile prefixes (carriers' second and third digits).
const ZH_MOBILE_PREFIXES: &[&str] = &[
    "130", "135", "138", "139", "150", "151", "158", "176", "177", "186", "188", "199",
];

/// A family name and a given name.
pub(crate) struct Name {
    pub(crate) family: String,
    pub(crate) given: String,
}

impl Name {
    pub(crate) fn draw(rng: &mut Rng, locale: Locale) -> Name {
        let (family, given) = match locale {
            Locale::Zh => (ZH_FAMILY, ZH_GIVEN),
            Locale::En => (EN_FAMILY, EN_GIVEN),
        };
        Name {
            family: rng.pick(family).to_string(),
            given: rng.pick(given).to_string(),
        }
    }

    /// The name as a person signs it: `王伟`, `Oliver Brown`.
    pub(crate) fn full(&self, locale: Locale) -> String {
        match locale {
            Locale::Zh => format!("{}{}", self.family, self.given),
            Locale::En => format!("{} {}", self.given, self.family),
        }
    }
}

/// The country calling code and a mobile number without it, as AutoX3 sends them.
pub(crate) fn mobile(rng: &mut Rng, locale: Locale) -> (&'static str, String) {
    match locale {
        Locale::Zh => (
            "+86",
            format!("{}{}", rng.pick(ZH_MOBILE_PREFIXES), rng.digits(8)),
        ),
        Locale::En => ("+44", format!("7{}{}", rng.range(4, 9), rng.digits(8))),
    }
}

fn letter(rng: &mut Rng) -> char {
    char::from(*rng.pick(PLATE_LETTERS))
}

/// A licence plate: `京A·12345` (China; a letter now and then, as on real plates) or
/// `AB19 CDE` (United Kingdom).
pub(crate) fn plate(rng: &mut Rng, locale: Locale) -> String {
    match locale {
        Locale::Zh => {
            let province = rng.pick(PROVINCES);
            let city = letter(rng);
            let serial: String = (0..5)
                .map(|i| {
                    if i < 2 && rng.chance(15) {
                        letter(rng)
                    } else {
                        char::from(b'0' + rng.below(10) as u8)
                    }
                })
                .collect();
            format!("{province}{city}·{serial}")
        }
        Locale::En => {
            let area: String = (0..2).map(|_| letter(rng)).collect();
            let age = rng.pick(&[
                "18", "19", "20", "21", "22", "23", "68", "69", "70", "71", "72",
            ]);
            let random: String = (0..3).map(|_| letter(rng)).collect();
            format!("{area}{age} {random}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plates_have_the_documented_shape() {
        let mut rng = Rng::new(3);
        for _ in 0..200 {
            let zh = plate(&mut rng, Locale::Zh);
            let chars: Vec<char> = zh.chars().collect();
            assert_eq!(chars.len(), 8, "{zh}");
            assert_eq!(chars[2], '·');
            assert!(chars[1].is_ascii_uppercase());
            assert!(chars[3..].iter().all(|c| c.is_ascii_alphanumeric()));
            let en = plate(&mut rng, Locale::En);
            assert_eq!(en.len(), 8, "{en}");
            let (code, number) = mobile(&mut rng, Locale::Zh);
            assert_eq!((code, number.len()), ("+86", 11));
        }
    }
}
