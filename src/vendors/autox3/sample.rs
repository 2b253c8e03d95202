//! AutoX3 `event.autox3.order.receivebase.create` callbacks in the shape of the document
//! sample: top-level members in the document's order, nested members alphabetical (as
//! fastjson writes them), `msgSignature` left empty for the signer to fill in place.

use serde_json::{Map, Value};

use super::{vin, RECEIVEBASE_CREATE};
use crate::sample::people::{self, Locale, Name};
use crate::sample::time::{self, DAY_MS, MINUTE_MS, SECOND_MS};
use crate::sample::{compact, java_double, sorted, Generator, Sample};

/// Warning-light codes exactly as the documents list them, Chinese and English.
const LIGHTS: &[(u32, &str, &str)] = &[
    (20, "发动机故障", "Engine Malfunction"),
    (16, "机油不足", "insufficient engine oil"),
    (1, "门窗未关闭", "Open Window"),
    (15, "水温异常", "Abnormal fluid Tempreture"),
    (19, "安全气囊故障", "Air bag Malfunction"),
];

/// Makers: brand names (Chinese, English), a China-built and an imported WMI, models.
const BRANDS: &[(&str, &str, [&str; 2], &[&str])] = &[
    ("BMW", "BMW", ["LBV", "WBA"], &["3", "5", "X3", "X5"]),
    ("奥迪", "Audi", ["LFV", "WAU"], &["A4L", "A6L", "Q5L"]),
    (
        "奔驰",
        "Mercedes-Benz",
        ["LE4", "WDD"],
        &["C 260 L", "E 300 L", "GLC 300 L"],
    ),
    (
        "大众",
        "Volkswagen",
        ["LSV", "WVW"],
        &["Passat", "Tiguan L", "Lavida"],
    ),
    (
        "丰田",
        "Toyota",
        ["LVG", "JTD"],
        &["Camry", "RAV4", "Corolla"],
    ),
    (
        "本田",
        "Honda",
        ["LHG", "JHM"],
        &["Accord", "CR-V", "Civic"],
    ),
    ("比亚迪", "BYD", ["LGX", "LGX"], &["Han", "Tang", "Seal"]),
];

const PAINT_DAMAGE: &[(&str, &str)] = &[
    ("凹陷", "Damp"),
    ("划痕", "Scratch"),
    ("掉漆", "Paint Chip"),
];
const ITEMS_ZH: &[&str] = &["面包", "饮用水", "海百合", "雨伞", "儿童座椅", "充电线"];
const ITEMS_EN: &[&str] = &[
    "Golf Bag",
    "Bottle",
    "Scrafs",
    "Umbrella",
    "Child Seat",
    "Charging Cable",
];
const REMARKS: &[(&str, &str)] = &[
    ("老客户了", "Old Customer"),
    ("客户在店等候", "Customer waiting in store"),
    ("顺便洗车", "Wash the car as well"),
    ("", ""),
];

/// One receive-base-create callback, unsigned.
pub(crate) fn receivebase_create(g: &mut Generator) -> Sample {
    let locale = Locale::draw(&mut g.rng);
    let create_time = g.advance(30 * SECOND_MS, 20 * MINUTE_MS);
    let receive_base_id = g.rng.range(1000, 99_999);
    let content = sorted(vec![
        ("carInfo", car_info(g, locale)),
        ("preCheckInfo", pre_check_info(g, locale, receive_base_id)),
        ("receiveBaseId", receive_base_id.into()),
        ("staffInfo", operator(g, locale)),
    ]);
    let msg_id = uuid_like(g);
    let staff_info = staff(g, locale);
    // The document's top-level order, which is not alphabetical.
    let mut top = Map::new();
    top.insert("content".into(), content);
    top.insert("createTime".into(), create_time.into());
    // The documented type (the document's sample itself says `detection.finish`).
    top.insert("msgType".into(), RECEIVEBASE_CREATE.into());
    top.insert("msgSignature".into(), "".into());
    top.insert("msgId".into(), msg_id.into());
    top.insert("staffInfo".into(), staff_info);
    Sample {
        name: "receivebase-create",
        body: compact(&Value::Object(top)),
    }
}

/// 8-4-4-4-12 lower-case hex, like the document's msgId.
fn uuid_like(g: &mut Generator) -> String {
    let r = &mut g.rng;
    format!(
        "{}-{}-{}-{}-{}",
        r.hex(8),
        r.hex(4),
        r.hex(4),
        r.hex(4),
        r.hex(12)
    )
}

fn car_info(g: &mut Generator, locale: Locale) -> Value {
    let (zh, en, wmis, models) = *g.rng.pick(BRANDS);
    let age_days = g.rng.range(200, 12 * 365);
    let produced = time::china_midnight(g.now_ms() - age_days * DAY_MS);
    let wmi = *g.rng.pick(&wmis);
    let vin = vin::generate(&mut g.rng, wmi, time::year(produced));
    let owner = Name::draw(&mut g.rng, locale);
    let gender = if g.rng.chance(50) { "MALE" } else { "FEMALE" };
    let mobile = if g.rng.chance(30) {
        String::new()
    } else {
        people::mobile(&mut g.rng, locale).1
    };
    sorted(vec![
        ("carBrandName", locale.text(&(zh, en)).into()),
        ("carNum", people::plate(&mut g.rng, locale).into()),
        ("carOwnerFirstName", owner.given.into()),
        ("carOwnerGender", gender.into()),
        ("carOwnerLastName", owner.family.into()),
        ("carOwnerMobile", mobile.into()),
        ("carProductionDate", produced.into()),
        ("carStyleName", (*g.rng.pick(models)).into()),
        ("carVin", vin.into()),
    ])
}

fn pre_check_info(g: &mut Generator, locale: Locale, receive_base_id: i64) -> Value {
    let lights: Vec<Value> = g
        .rng
        .subset(LIGHTS, 30)
        .into_iter()
        .map(|(code, zh, en)| format!("{code}_{}", locale.text(&(zh, en))).into())
        .collect();
    let paints: Vec<Value> = (0..g.rng.range(0, 1))
        .map(|_| paint(g, locale, receive_base_id))
        .collect();
    let items = match locale {
        Locale::Zh => g.rng.subset(ITEMS_ZH, 35),
        Locale::En => g.rng.subset(ITEMS_EN, 35),
    };
    sorted(vec![
        ("lightInfo", lights.into()),
        ("odograph", java_double(g.rng.range(50, 25_000) * 10)),
        ("oilGauge", (g.rng.range(1, 20) * 5).into()),
        ("paintsInfo", paints.into()),
        ("personalItemList", items.into()),
        ("remark", locale.text(g.rng.pick(REMARKS)).into()),
    ])
}

fn paint(g: &mut Generator, locale: Locale, receive_base_id: i64) -> Value {
    let images: Vec<Value> = (0..g.rng.range(1, 3))
        .map(|_| {
            format!(
                "https://cdn.example.com/autox3/receive/{receive_base_id}/{}.jpg",
                g.rng.hex(16)
            )
            .into()
        })
        .collect();
    sorted(vec![
        ("describe", locale.text(g.rng.pick(PAINT_DAMAGE)).into()),
        ("images", images.into()),
        // The only position code the documents show.
        ("position", "sys_feature_0013_01".into()),
        (
            "positionName",
            locale.text(&("右前叶子板", "Front Passenger Door")).into(),
        ),
    ])
}

/// The receive-base operator inside `content`.
fn operator(g: &mut Generator, locale: Locale) -> Value {
    let (area_code, mobile) = people::mobile(&mut g.rng, locale);
    let name = Name::draw(&mut g.rng, locale).full(locale);
    sorted(vec![
        ("areaCode", area_code.into()),
        ("brandId", g.rng.range(1, 200).into()),
        ("mobile", mobile.into()),
        ("storeId", g.rng.range(1, 500).into()),
        ("userId", g.rng.range(1, 5000).into()),
        ("userName", name.into()),
    ])
}

/// The top-level staff member.
fn staff(g: &mut Generator, locale: Locale) -> Value {
    let (area_code, mobile) = people::mobile(&mut g.rng, locale);
    let name = Name::draw(&mut g.rng, locale).full(locale);
    sorted(vec![
        ("areaCode", area_code.into()),
        ("brandId", g.rng.range(1, 200).into()),
        ("mobile", mobile.into()),
        ("staffId", g.rng.range(1, 5000).into()),
        ("staffName", name.into()),
        ("storeId", g.rng.range(1, 500).into()),
    ])
}
