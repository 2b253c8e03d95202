//! A part turned into text by the language's default string conversion instead of a JSON
//! serializer: JavaScript's `'' + obj`, Python's `str(dict)`, Java's `Map.toString()`.
//! Each is a well-defined format of its runtime, reproduced here so the search can
//! recognise it.

use super::numbers;
use super::tree::Node;

/// How a Java library parsed the numbers before `toString()` printed them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JavaNumbers {
    /// Gson into a `Map`: every number a `Double`.
    Doubles,
    /// Jackson into a `Map`: integers `Integer`/`Long`, the rest `Double`.
    Mixed,
}

/// JavaScript's `String(value)`: `[object Object]` for objects, arrays joined by commas.
pub(crate) fn javascript(node: &Node) -> String {
    match node {
        Node::Object(_) => "[object Object]".into(),
        Node::Array(items) => items
            .iter()
            .map(|i| match i {
                Node::Null => String::new(),
                other => javascript(other),
            })
            .collect::<Vec<_>>()
            .join(","),
        Node::Null => "null".into(),
        Node::Bool(b) => b.to_string(),
        Node::Number(t) => t.parse::<f64>().map_or(t.to_string(), numbers::js_number),
        Node::String(v, _) => v.to_string(),
    }
}

/// Go's `fmt.Sprint` (`%v`) of what encoding/json decodes into `interface{}`:
/// `map[a:1 b:[x y]]`, keys sorted, numbers float64.
pub(crate) fn go(node: &Node) -> String {
    match node {
        Node::Object(members) => {
            let mut items: Vec<(&str, String)> =
                members.iter().map(|(k, v)| (k.as_ref(), go(v))).collect();
            items.sort_by(|a, b| a.0.cmp(b.0));
            let items: Vec<String> = items.iter().map(|(k, v)| format!("{k}:{v}")).collect();
            format!("map[{}]", items.join(" "))
        }
        Node::Array(items) => {
            let items: Vec<String> = items.iter().map(go).collect();
            format!("[{}]", items.join(" "))
        }
        Node::Null => "<nil>".into(),
        Node::Bool(b) => b.to_string(),
        Node::Number(t) => t.parse::<f64>().map_or(t.to_string(), numbers::go_g),
        Node::String(v, _) => v.to_string(),
    }
}

/// Python's `str()` of what `json.loads` returns: `{'a': 1, 'b': None}`.
pub(crate) fn python(node: &Node) -> String {
    match node {
        Node::Object(members) => {
            let items: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("{}: {}", python_str(k), python(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        Node::Array(items) => {
            let items: Vec<String> = items.iter().map(python).collect();
            format!("[{}]", items.join(", "))
        }
        Node::Null => "None".into(),
        Node::Bool(true) => "True".into(),
        Node::Bool(false) => "False".into(),
        Node::Number(t) if numbers::is_integer_text(t) => t.to_string(),
        Node::Number(t) => t
            .parse::<f64>()
            .map_or(t.to_string(), numbers::python_float),
        Node::String(v, _) => python_str(v),
    }
}

/// Python's `repr` of a str: single quotes unless the text has one and no double quote.
fn python_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Java's `AbstractMap.toString()` / `AbstractCollection.toString()`: `{a=1, b=[x, y]}`.
pub(crate) fn java(node: &Node, numbers_as: JavaNumbers) -> String {
    match node {
        Node::Object(members) => {
            let items: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("{k}={}", java(v, numbers_as)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        Node::Array(items) => {
            let items: Vec<String> = items.iter().map(|i| java(i, numbers_as)).collect();
            format!("[{}]", items.join(", "))
        }
        Node::Null => "null".into(),
        Node::Bool(b) => b.to_string(),
        Node::Number(t) => match numbers_as {
            JavaNumbers::Mixed if numbers::is_integer_text(t) => t.to_string(),
            _ => t.parse::<f64>().map_or(t.to_string(), numbers::java_double),
        },
        Node::String(v, _) => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendors::autox3::diagnose::tree;

    // Expected: node -p "String(JSON.parse(t))", python3 -c "print(str(json.loads(t)))",
    // and for Java `new Gson().fromJson(t, Map.class).toString()` (Gson 2.10, Debian libgoogle-gson-java 2.10-1).
    #[test]
    fn each_runtime() {
        let t = r#"{"a":1,"b":[true,null,"it's"],"c":{"d":2.5}}"#;
        let node = tree::parse(t).unwrap();
        assert_eq!(javascript(&node), "[object Object]");
        assert_eq!(
            python(&node),
            r#"{'a': 1, 'b': [True, None, "it's"], 'c': {'d': 2.5}}"#
        );
        assert_eq!(
            java(&node, JavaNumbers::Doubles),
            "{a=1.0, b=[true, null, it's], c={d=2.5}}"
        );
        assert_eq!(javascript(&tree::parse("[1,null,\"x\"]").unwrap()), "1,,x");
    }
}
