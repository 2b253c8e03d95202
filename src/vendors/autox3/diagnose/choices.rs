//! The bounded product of serializer choices: which values of each choice can change a
//! body's bytes (no `Html` choice for a body without `<`, `>` or `&`), and every
//! combination of at most [`MAX_CHOICES`] of them besides whitespace. What a combination
//! changes is named afterwards by comparing bytes, so this only has to be complete.

use super::tree::Node;
use super::writer::{Escapes, Html, Numbers, Order, Space, Style};

/// What the values hold, so that choices that cannot change a byte are not tried.
#[derive(Default)]
struct Triggers {
    non_ascii: bool,
    html: bool,
    go_html: bool,
    slash: bool,
    null_member: bool,
    empty_object: bool,
    numbers: bool,
    fractions: bool,
    unsorted: bool,
    index_keys: bool,
}

fn scan(node: &Node, t: &mut Triggers) {
    match node {
        Node::String(v, _) => {
            t.non_ascii |= !v.is_ascii();
            t.html |= v.contains(['<', '>', '&', '=', '\'']);
            t.go_html |= v.contains(['<', '>', '&']);
            t.slash |= v.contains('/');
        }
        Node::Number(text) => {
            t.numbers = true;
            t.fractions |= !super::numbers::is_integer_text(text);
        }
        Node::Array(items) => items.iter().for_each(|i| scan(i, t)),
        Node::Object(members) => {
            t.empty_object |= members.is_empty();
            t.unsorted |= members.windows(2).any(|w| w[0].0 > w[1].0);
            for (k, v) in members {
                t.index_keys |= !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit());
                t.null_member |= *v == Node::Null;
                scan(v, t);
            }
        }
        Node::Null | Node::Bool(_) => {}
    }
}

/// Unnamed combinations of more choices than this are not tried (besides whitespace):
/// the library profiles cover the common larger ones, such as PHP's four.
const MAX_CHOICES: usize = 3;

/// Every combination of the choices that can change these values' bytes.
pub(crate) fn product(nodes: &[&Node]) -> Vec<Style> {
    let mut t = Triggers::default();
    nodes.iter().for_each(|n| scan(n, &mut t));
    let pick = |cond: bool, base: Vec<Order>, extra: Order| {
        let mut v = base;
        if cond {
            v.push(extra);
        }
        v
    };
    let mut orders = pick(t.unsorted, vec![Order::Source], Order::Sorted);
    if t.index_keys {
        orders.push(Order::IntegerKeysFirst);
    }
    let spaces = [
        Space::Compact,
        Space::Python,
        Space::Indented(2),
        Space::Indented(4),
        Space::Jackson,
    ];
    let mut numbers = vec![Numbers::Source];
    if t.numbers {
        numbers.extend([Numbers::Js, Numbers::JavaAll]);
    }
    if t.fractions {
        numbers.extend([Numbers::JavaFloats, Numbers::PythonFloats]);
    }
    let mut htmls = vec![Html::None];
    if t.html {
        htmls.push(Html::Gson);
    }
    if t.go_html {
        htmls.extend([Html::Go, Html::Php]);
    }
    let flags = |cond: bool| if cond { vec![false, true] } else { vec![false] };
    let mut out = Vec::new();
    for &order in &orders {
        for &space in &spaces {
            for &numbers in &numbers {
                for &html in &htmls {
                    for non_ascii in flags(t.non_ascii) {
                        for slash in flags(t.slash) {
                            for upper_hex in flags(non_ascii || html != Html::None) {
                                for drop_nulls in flags(t.null_member) {
                                    for empty_object_as_array in flags(t.empty_object) {
                                        let changed = [
                                            order != Order::Source,
                                            numbers != Numbers::Source,
                                            html != Html::None,
                                            non_ascii,
                                            slash,
                                            drop_nulls,
                                            empty_object_as_array,
                                        ];
                                        if changed.iter().filter(|&&c| c).count() > MAX_CHOICES {
                                            continue;
                                        }
                                        out.push(Style {
                                            order,
                                            space,
                                            numbers,
                                            escapes: Escapes {
                                                non_ascii,
                                                html,
                                                slash,
                                                upper_hex,
                                            },
                                            drop_nulls,
                                            empty_object_as_array,
                                        });
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    out
}
