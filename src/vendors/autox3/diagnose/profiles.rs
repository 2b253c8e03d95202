//! Named serializers: each a point in the space of [`Style`] choices, kept as one table of
//! data. When the text that reproduces a signature is exactly what one of these writes,
//! the diagnosis names the library and says how to keep the raw text in that stack.
//! Every row is checked against the library's own output in
//! `fixtures/libraries/autox3/` (made by running the library). PHP 8 writes `67000.0` as
//! `67000` unless `JSON_PRESERVE_ZERO_FRACTION`, hence its JavaScript-like numbers.

use super::writer::{Escapes, Html, Numbers, Order, Space, Style};

/// The language a profile's code is written in: it picks the fix and the snippet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stack {
    Java,
    Go,
    Php,
    Node,
    Python,
    /// .NET: no snippet (no .NET runtime here to test one), but the fix is known.
    Dotnet,
}

impl Stack {
    /// The id `cbtool snippet` takes (one of `snippet::LANGUAGES`), where there is one.
    pub(crate) fn snippet_id(self) -> Option<&'static str> {
        match self {
            Stack::Java => Some("java"),
            Stack::Go => Some("go"),
            Stack::Php => Some("php"),
            Stack::Node => Some("node"),
            Stack::Python => Some("python"),
            Stack::Dotnet => None,
        }
    }

    /// One sentence: how to keep the raw text in this stack.
    pub(crate) fn fix(self) -> &'static str {
        match self {
            Stack::Java => "In Java, read the body as a String (Spring: `@RequestBody String body`) and take the raw text of staffInfo and content from it; never round-trip them through a Map or a JsonNode.",
            Stack::Go => "In Go, decode staffInfo and content into `json.RawMessage` fields and hash `string(raw)`: a RawMessage keeps the exact bytes of the body, but `json.Marshal` of it compacts and HTML-escapes them again.",
            Stack::Php => "In PHP, read `file_get_contents('php://input')` and take the raw text of staffInfo and content from it; json_decode and json_encode change bytes.",
            Stack::Node => "In Node, keep the raw body (Express: `express.raw({ type: '*/*' })`) and take the raw text of staffInfo and content from it; JSON.parse and JSON.stringify change bytes.",
            Stack::Dotnet => "In .NET, read the request body as a string and take the raw text of staffInfo and content from it (Json.NET's JsonTextReader gives each value's position); JToken.ToString() re-indents and Formatting.None compacts.",
            Stack::Python => "In Python, take the raw bytes (Flask: `request.get_data()`) and slice the raw text of staffInfo and content from them; json.loads and json.dumps change bytes.",
        }
    }
}

/// One library's way of writing a parsed value back.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Profile {
    pub(crate) id: &'static str,
    /// What the code did, as a user would recognise it.
    pub(crate) what: &'static str,
    pub(crate) style: Style,
    /// A newline after each part (Go's `json.Encoder`).
    pub(crate) part_newline: bool,
    pub(crate) stack: Stack,
    /// The families only this library (of those likely) produces: it is named only when
    /// the bytes show one of them. Sorted keys or `67000` alone fit too many libraries.
    pub(crate) telling: &'static [&'static str],
}

const fn style(
    order: Order,
    space: Space,
    numbers: Numbers,
    escapes: Escapes,
    drop_nulls: bool,
    empty_object_as_array: bool,
) -> Style {
    Style {
        order,
        space,
        numbers,
        escapes,
        drop_nulls,
        empty_object_as_array,
    }
}

const fn esc(non_ascii: bool, html: Html, slash: bool) -> Escapes {
    Escapes {
        non_ascii,
        html,
        slash,
        upper_hex: false,
    }
}

const PLAIN: Escapes = esc(false, Html::None, false);
use Numbers::{JavaAll, JavaFloats, Js, PythonFloats, Source};
use Order::{IntegerKeysFirst, Sorted};
use Space::{Compact, Indented, Jackson, Python};

/// Every profile, most common first; the first whose output matches is named.
pub(crate) const PROFILES: &[Profile] = &[
    Profile { id: "gson-map", what: "Gson parsed the body into a Map and wrote it back with `new Gson().toJson(…)`", style: style(Order::Source, Compact, JavaAll, esc(false, Html::Gson, false), true, false), part_newline: false, stack: Stack::Java, telling: &["java_doubles", "html_escape", "nulls_dropped"] },
    Profile { id: "gson-tree", what: "Gson parsed the body into a JsonElement and wrote it back with `gson.toJson(element)`", style: style(Order::Source, Compact, Source, esc(false, Html::Gson, false), true, false), part_newline: false, stack: Stack::Java, telling: &["html_escape", "nulls_dropped"] },
    Profile { id: "gson-element-tostring", what: "Gson parsed the body into a JsonElement and wrote it back with `element.toString()`", style: style(Order::Source, Compact, Source, PLAIN, false, false), part_newline: false, stack: Stack::Java, telling: &[] },
    Profile { id: "jackson", what: "Jackson parsed the body (ObjectMapper into a Map or a JsonNode) and wrote it back with `writeValueAsString`", style: style(Order::Source, Compact, JavaFloats, PLAIN, false, false), part_newline: false, stack: Stack::Java, telling: &[] },
    Profile { id: "jackson-indent", what: "Jackson wrote it back with `SerializationFeature.INDENT_OUTPUT` (`\" : \"`, arrays inline)", style: style(Order::Source, Jackson, JavaFloats, PLAIN, false, false), part_newline: false, stack: Stack::Java, telling: &["pretty_printed"] },
    Profile { id: "jackson-sorted", what: "Jackson wrote it back with `ORDER_MAP_ENTRIES_BY_KEYS` (members sorted)", style: style(Sorted, Compact, JavaFloats, PLAIN, false, false), part_newline: false, stack: Stack::Java, telling: &[] },
    Profile { id: "go-map", what: "Go decoded the body into a `map[string]interface{}` and wrote it back with `json.Marshal`", style: style(Sorted, Compact, Js, esc(false, Html::Go, false), false, false), part_newline: false, stack: Stack::Go, telling: &["html_escape"] },
    Profile { id: "go-encoder", what: "Go decoded the body into a `map[string]interface{}` and wrote it back with a `json.Encoder` (which adds a newline)", style: style(Sorted, Compact, Js, esc(false, Html::Go, false), false, false), part_newline: true, stack: Stack::Go, telling: &["part_newline"] },
    Profile { id: "php-assoc", what: "PHP decoded the body with `json_decode($body, true)` and wrote it back with `json_encode` (default flags)", style: style(Order::Source, Compact, Js, esc(true, Html::None, true), false, true), part_newline: false, stack: Stack::Php, telling: &["empty_object_as_array", "escaped_slashes"] },
    Profile { id: "php-object", what: "PHP decoded the body with `json_decode($body)` and wrote it back with `json_encode` (default flags)", style: style(Order::Source, Compact, Js, esc(true, Html::None, true), false, false), part_newline: false, stack: Stack::Php, telling: &["escaped_slashes"] },
    Profile { id: "php-unescaped", what: "PHP wrote it back with `json_encode($v, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE)` after `json_decode($body, true)`", style: style(Order::Source, Compact, Js, PLAIN, false, true), part_newline: false, stack: Stack::Php, telling: &["empty_object_as_array"] },
    Profile { id: "node", what: "Node parsed the body with `JSON.parse` and wrote it back with `JSON.stringify`", style: style(IntegerKeysFirst, Compact, Js, PLAIN, false, false), part_newline: false, stack: Stack::Node, telling: &[] },
    Profile { id: "python-json", what: "Python parsed the body with `json.loads` and wrote it back with `json.dumps` (default separators and ensure_ascii)", style: style(Order::Source, Python, PythonFloats, esc(true, Html::None, false), false, false), part_newline: false, stack: Stack::Python, telling: &["python_default", "python_separators"] },
    Profile { id: "python-json-compact", what: "Python wrote it back with `json.dumps(v, separators=(',', ':'))` (ensure_ascii still on)", style: style(Order::Source, Compact, PythonFloats, esc(true, Html::None, false), false, false), part_newline: false, stack: Stack::Python, telling: &[] },
    Profile { id: "python-json-unicode", what: "Python wrote it back with `json.dumps(v, separators=(',', ':'), ensure_ascii=False)`", style: style(Order::Source, Compact, PythonFloats, PLAIN, false, false), part_newline: false, stack: Stack::Python, telling: &[] },
    Profile { id: "python-json-sorted", what: "Python wrote it back with `json.dumps(v, sort_keys=True)`", style: style(Sorted, Python, PythonFloats, esc(true, Html::None, false), false, false), part_newline: false, stack: Stack::Python, telling: &["python_default", "python_separators"] },
    Profile { id: "ujson", what: "Python's ujson wrote it back with `ujson.dumps` (escapes `/` and non-ASCII)", style: style(Order::Source, Compact, PythonFloats, esc(true, Html::None, true), false, false), part_newline: false, stack: Stack::Python, telling: &["escaped_slashes"] },
    Profile { id: "orjson", what: "Python's orjson wrote it back with `orjson.dumps`", style: style(Order::Source, Compact, PythonFloats, PLAIN, false, false), part_newline: false, stack: Stack::Python, telling: &[] },
    Profile { id: "python-json-indent", what: "Python wrote it back with `json.dumps(v, indent=2)`", style: style(Order::Source, Indented(2), PythonFloats, esc(true, Html::None, false), false, false), part_newline: false, stack: Stack::Python, telling: &[] },
    Profile { id: "node-indent", what: "Node wrote it back with `JSON.stringify(v, null, 2)`", style: style(IntegerKeysFirst, Indented(2), Js, PLAIN, false, false), part_newline: false, stack: Stack::Node, telling: &[] },
    Profile { id: "gson-pretty", what: "Gson wrote it back with `setPrettyPrinting()`", style: style(Order::Source, Indented(2), JavaAll, esc(false, Html::Gson, false), true, false), part_newline: false, stack: Stack::Java, telling: &["java_doubles", "html_escape", "nulls_dropped"] },
    Profile { id: "go-indent", what: "Go wrote it back with `json.MarshalIndent(v, \"\", \"  \")`", style: style(Sorted, Indented(2), Js, esc(false, Html::Go, false), false, false), part_newline: false, stack: Stack::Go, telling: &["html_escape"] },
    Profile { id: "newtonsoft-indented", what: "Json.NET parsed the body with `JObject.Parse` and wrote each part back with `JToken.ToString()` (indented)", style: style(Order::Source, Indented(2), Source, PLAIN, false, false), part_newline: false, stack: Stack::Dotnet, telling: &[] },
    Profile { id: "newtonsoft-none", what: "Json.NET parsed the body with `JObject.Parse` and wrote each part back with `ToString(Formatting.None)`", style: style(Order::Source, Compact, Source, PLAIN, false, false), part_newline: false, stack: Stack::Dotnet, telling: &[] },
    Profile { id: "php-pretty", what: "PHP wrote it back with `json_encode($v, JSON_PRETTY_PRINT)`", style: style(Order::Source, Indented(4), Js, esc(true, Html::None, true), false, true), part_newline: false, stack: Stack::Php, telling: &["escaped_slashes", "empty_object_as_array"] },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_snippet_exists_and_every_profile_has_an_id() {
        for p in PROFILES {
            if let Some(id) = p.stack.snippet_id() {
                assert!(
                    crate::vendors::snippets::LANGUAGES.contains(&id),
                    "{}",
                    p.id
                );
            }
            assert!(!p.what.is_empty());
        }
        let mut ids: Vec<&str> = PROFILES.iter().map(|p| p.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), PROFILES.len(), "profile ids are unique");
    }
}
