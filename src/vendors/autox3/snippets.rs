//! The AutoX3 receivers `cbtool snippet` prints, one per language.

use crate::snippet;
use crate::vendors::Snippet;

pub(crate) static SNIPPETS: [Snippet; 5] = [
    snippet!("java", "autox3", "AutoX3Receiver.java", "Java 17+"),
    snippet!("python", "autox3", "autox3_receiver.py", "Python 3.11+"),
    snippet!("node", "autox3", "autox3-receiver.js", "Node.js 20+"),
    snippet!("go", "autox3", "autox3_receiver.go", "Go 1.19+"),
    snippet!("php", "autox3", "autox3_receiver.php", "PHP 8.1+"),
];
