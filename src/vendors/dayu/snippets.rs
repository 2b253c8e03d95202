//! The Dayu receivers `cbtool snippet` prints, one per language.

use crate::snippet;
use crate::vendors::Snippet;

pub(crate) static SNIPPETS: [Snippet; 5] = [
    snippet!("java", "dayu", "DayuReceiver.java", "Java 17+"),
    snippet!("python", "dayu", "dayu_receiver.py", "Python 3.11+"),
    snippet!("node", "dayu", "dayu-receiver.js", "Node.js 20+"),
    snippet!("go", "dayu", "dayu_receiver.go", "Go 1.19+"),
    snippet!(
        "php",
        "dayu",
        "dayu_receiver.php",
        "PHP 8.1+ (json, openssl)"
    ),
];
