//! Hostile input for every command that reads a file (verify, sign, validate) and for
//! keys: each must end within a deadline with exit 1 or 2 and one `error:` line naming
//! the file (and the position, for JSON), never a panic. The deadline is enforced by
//! killing the child, so a hang fails the test instead of stalling it.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure report

mod support;

/// Every field of each vendor set to each wrong JSON type.
#[path = "hostile/fields.rs"]
mod fields;

use std::path::Path;
use std::time::Duration;

use support::{cbtool, Run, PRIVATE_KEY, PUBLIC_KEY, SECRET_FILE};

/// Generous: the machine running CI may be loaded; a hang is minutes, not seconds.
const DEADLINE: Duration = Duration::from_secs(60);

/// Runs cbtool with a deadline: the child is killed (and the test fails) when it passes.
fn run(args: &[&str]) -> Run {
    cbtool(args).timeout(DEADLINE).run()
}

/// Exit `code` (1 or 2), no panic, `file` named and `needle` said; on exit 2 exactly one
/// `error:` line that names `file` and says `needle`.
fn rejected(out: &Run, code: i32, file: &str, needle: &str) {
    out.code(code).no_panic();
    assert!(out.all_output().contains(file), "{file} not named: {out:?}");
    if code == 2 {
        out.assert_input_error(needle);
        assert!(out.error_lines()[0].contains(file), "{out:?}");
    } else {
        assert!(!needle.is_empty(), "an empty needle matches anything");
        assert!(
            out.all_output().contains(needle),
            "`{needle}` not in {out:?}"
        );
    }
}

/// What one command must do with a file: refuse it (exit 1 or 2 with this message), or
/// accept it (exit 0) and print this.
#[derive(Clone, Copy, Debug)]
enum Expect {
    Refused(i32, &'static str),
    Accepted(&'static str),
}

use Expect::{Accepted, Refused};

impl Expect {
    fn check(self, out: &Run, file: &str) {
        match self {
            Refused(code, needle) => rejected(out, code, file, needle),
            Accepted(needle) => {
                out.success().no_panic().stdout_contains(needle);
            }
        }
    }
}

/// The commands that read a callback file, with the credentials they need.
fn commands(path: &str) -> Vec<Vec<String>> {
    let cmds: [&[&str]; 5] = [
        &[
            "verify",
            "--secret-file",
            SECRET_FILE,
            "--public-key",
            PUBLIC_KEY,
        ],
        &[
            "verify",
            "--explain",
            "--secret-file",
            SECRET_FILE,
            "--public-key",
            PUBLIC_KEY,
        ],
        &[
            "sign",
            "--secret-file",
            SECRET_FILE,
            "--private-key",
            PRIVATE_KEY,
        ],
        &[
            "sign",
            "--embed",
            "--secret-file",
            SECRET_FILE,
            "--private-key",
            PRIVATE_KEY,
        ],
        &["validate"],
    ];
    cmds.iter()
        .map(|c| {
            c.iter()
                .map(|s| s.to_string())
                .chain([path.to_string()])
                .collect()
        })
        .collect()
}

/// Writes `bytes` to a file named `name` and runs every command on it; `expect` gives,
/// in the order of [`commands`], what each must do.
fn each_command_expecting(name: &str, bytes: &[u8], expect: [Expect; 5]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let path = path.to_str().unwrap();
    for (cmd, expect) in commands(path).iter().zip(expect) {
        let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
        expect.check(&run(&args), path);
    }
}

/// Every command refuses the file with exit 2 and one `error:` line saying `needle`.
fn each_command(name: &str, bytes: &[u8], needle: &'static str) {
    each_command_expecting(name, bytes, [Refused(2, needle); 5]);
}

#[test]
fn empty_blank_bom_and_not_text() {
    each_command("empty.json", b"", "is empty; expected a JSON object");
    each_command(
        "blank.json",
        b" \n\t\r\n ",
        "is empty; expected a JSON object",
    );
    each_command(
        "bom.json",
        b"\xef\xbb\xbf{\"msgId\":\"m\"}",
        "starts with a UTF-8 byte order mark",
    );
    each_command(
        "invalid-utf8.json",
        b"{\"msgId\": \"\xc3\x28\"}",
        ":1:12: invalid UTF-8 (byte 0xc3 at offset 11)",
    );
    each_command(
        "nul.json",
        b"{\"msgId\":\"a\0b\"}",
        ":1:11: not valid JSON: control character",
    );
    each_command(
        "nul-only.json",
        &[0u8; 64],
        ":1:1: expected a JSON object, found something that is not JSON",
    );
    let binary: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    each_command("binary.bin", &binary, ":1:2: invalid UTF-8");
}

/// An AutoX3 callback carrying a signature, so that every command reaches `content`.
fn autox3_with_content(content: &[u8]) -> Vec<u8> {
    let mut body = br#"{"msgId":"m","msgType":"t","staffInfo":{},"createTime":1,"msgSignature":"AB","content":"#.to_vec();
    body.extend_from_slice(content);
    body.push(b'}');
    body
}

/// A Dayu envelope with a signature, so that every command reaches the numbers.
fn dayu_envelope(order_id: &str, progress: &str) -> Vec<u8> {
    format!(
        r#"{{"headers":{{"Dayu-Sign":"AAAA"}},"body":{{"orderId":{order_id},"orderRecord":{{"serviceProgessTimeNum":{progress}}}}}}}"#
    )
    .into_bytes()
}

/// An AutoX3 callback signed "AB" around `content`: verify and verify --explain refuse
/// the signature as too short for SHA-1; sign and sign --embed sign `content` as its
/// text (`signature`, and `embedded` in the embedded body); validate does as `validate`.
fn autox3_signed_as_text(
    name: &str,
    content: &[u8],
    signature: &'static str,
    embedded: &'static str,
    validate: Expect,
) {
    let short = Refused(1, "the signature has 2 hex digits; AutoX3 sends 40");
    each_command_expecting(
        name,
        &autox3_with_content(content),
        [
            short,
            short,
            Accepted(signature),
            Accepted(embedded),
            validate,
        ],
    );
}

/// `printf '%s' 'orderId=184467440737095516160&serviceProgessTimeNum=1' | openssl dgst
/// -sha1 -sign fixtures/dayu/keys/private.pem | base64 -w0` (OpenSSL 3.0.19).
const LONG_INT_SIGNATURE: &str = "GqwfbXCIUlqNNYc1EWC1Akxp58hT4hV5/6e41jlc27nY8wg/IRQuvOWTgWv+ZC8Mrq7Nr66IS8oubW22eV8oS9L8NwVX0VisXJexFr4ysm0DZN2LIrraQofKPZzSfSQCO5MJILazFe+M9KxnEcjmAd9mCNa9UanM5VQZwZMVO6irfHz1CT1Gsw7lHZ6gEOF3O+VSkDkoZgwL3QqUuUjKKRZ86gj0QSo+AXdi4NYuhK4Pcr2rH3I9ugGEUh2AgE46DLXjAbRLic3VAC3T1O9vzblKXFGDE5cGlcyOdkdR01ZLnn6y6X0Ji9mI/m//242b7OawckJr3MTjmvLFfnbKbw==";

#[test]
fn wrong_shapes_and_numbers() {
    each_command(
        "array.json",
        b"[1,2,3]",
        ":1:1: expected a JSON object, found an array",
    );
    each_command(
        "null.json",
        b"null",
        ":1:1: expected a JSON object, found null",
    );
    each_command(
        "string.json",
        b"\"msgId\"",
        ":1:1: expected a JSON object, found a string",
    );
    each_command(
        "dup.json",
        br#"{"msgId":"a","msgId":"b"}"#,
        ":1:20: not valid JSON: duplicate key `msgId`",
    );
    each_command(
        "truncated.json",
        br#"{"msgId":"a","content":{"x":"#,
        ":1:28: not valid JSON: EOF while parsing a value",
    );
    // Numbers no integer holds: an error (or a finding), never a panic or a wrong sign.
    let not_an_integer = Refused(2, ":1:51: `orderId` is `1e400`; Dayu sends an integer");
    each_command_expecting(
        "huge-number.json",
        &dayu_envelope("1e400", "1"),
        [
            not_an_integer,
            not_an_integer,
            not_an_integer,
            not_an_integer,
            Refused(2, "not valid JSON: number out of range"),
        ],
    );
    // A long's overflow is signed as its text; the 3-byte "AAAA" is refused for its
    // length; validate finds the overflow.
    let short = Refused(
        1,
        "the signature is 3 bytes but the key makes 256-byte signatures",
    );
    each_command_expecting(
        "long-int.json",
        &dayu_envelope("184467440737095516160", "1"),
        [
            short,
            short,
            Accepted(LONG_INT_SIGNATURE),
            Accepted(r#""orderId":184467440737095516160"#),
            Refused(1, "greater than the maximum of 9223372036854775807"),
        ],
    );
    let fraction = Refused(
        2,
        "`orderRecord.serviceProgessTimeNum` is `1.5`; Dayu sends an integer",
    );
    each_command_expecting(
        "negative-zero.json",
        &dayu_envelope("-0", "1.5"),
        [
            fraction,
            fraction,
            fraction,
            fraction,
            Refused(
                1,
                "/orderRecord/serviceProgessTimeNum: 1.5 is not of type \"integer\"",
            ),
        ],
    );
    // 1e400 is signed as its text. Expected signature: python3 hashlib.sha1 of
    // b'mt{}1{"n":1e400}' + the test secret, upper-case hex.
    autox3_signed_as_text(
        "autox3-1e400.json",
        br#"{"n":1e400}"#,
        "DC74644BAC4C0F3DD5CE5F7D6C6B1651500348F1\n",
        r#""msgSignature":"DC74644BAC4C0F3DD5CE5F7D6C6B1651500348F1","content":{"n":1e400}}"#,
        Refused(2, "not valid JSON: number out of range"),
    );
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    // verify and sign never build the tree of `content` (they sign its bytes), so depth
    // costs them nothing; validate builds it and refuses past serde_json's limit.
    // Expected signatures: python3 hashlib.sha1 of b'mt{}1' + content + the test
    // secret, upper-case hex.
    let too_deep = Refused(2, "not valid JSON: recursion limit exceeded");
    let depth = 200_000;
    let mut arrays = Vec::new();
    arrays.extend(std::iter::repeat_n(b'[', depth));
    arrays.extend(std::iter::repeat_n(b']', depth));
    autox3_signed_as_text(
        "deep-arrays.json",
        &arrays,
        "FBF26B380504D275525E02D912120757A49E56C1\n",
        r#""msgSignature":"FBF26B380504D275525E02D912120757A49E56C1","content":[[[["#,
        too_deep,
    );
    let mut objects = Vec::new();
    for _ in 0..depth {
        objects.extend_from_slice(b"{\"a\":");
    }
    objects.push(b'1');
    objects.extend(std::iter::repeat_n(b'}', depth));
    autox3_signed_as_text(
        "deep-objects.json",
        &objects,
        "B3CDEE3A024D5D0B0EC9538CA250EDC965665BE8\n",
        r#""msgSignature":"B3CDEE3A024D5D0B0EC9538CA250EDC965665BE8","content":{"a":{"a":"#,
        too_deep,
    );
    each_command(
        "deep-unclosed.json",
        &arrays[..depth],
        ":1:1: expected a JSON object, found something that is not JSON",
    );
}

#[test]
fn a_20_mb_string_is_refused_or_handled() {
    let mut big = b"{\"msgId\":\"".to_vec();
    big.extend(std::iter::repeat_n(b'x', 20 * 1024 * 1024));
    big.extend_from_slice(b"\"}");
    each_command("big.json", &big, "the callback is larger than 16 MiB");
}

fn key_file(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

const DAYU_EVENT: &str = "fixtures/dayu/events/03-accepted.json";

#[test]
fn bad_keys_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let pem = String::from_utf8(support::fixture(PRIVATE_KEY)).unwrap();
    let cases: Vec<(String, &str)> = vec![
        (
            key_file(dir.path(), "empty.pem", b""),
            "is empty; expected an RSA key",
        ),
        (
            key_file(
                dir.path(),
                "truncated.pem",
                &pem.as_bytes()[..pem.len() / 2],
            ),
            "has no `-----END PRIVATE KEY-----` line: the file is truncated",
        ),
        (
            key_file(
                dir.path(),
                "label.pem",
                pem.replace("PRIVATE KEY", "CERTIFICATE REQUEST").as_bytes(),
            ),
            "PEM label `CERTIFICATE REQUEST` is not a key cbtool reads",
        ),
        (
            "fixtures/dayu/keys/ec-private.pem".to_string(),
            "is an EC key (private",
        ),
        (
            key_file(dir.path(), "binary.der", &[0x30, 0x82, 0xff, 0xff, 0, 1, 2]),
            "not an RSA key: DER that is neither",
        ),
    ];
    for (path, needle) in &cases {
        let sign = run(&["sign", "--private-key", path, DAYU_EVENT]);
        rejected(&sign, 2, path, needle);
        let verify = run(&[
            "verify",
            "--public-key",
            path,
            "fixtures/dayu/envelopes/03-accepted.json",
        ]);
        rejected(&verify, 2, path, needle);
    }
}

#[test]
fn a_512_bit_key_works_with_a_weak_key_warning() {
    let sign = run(&[
        "sign",
        "--private-key",
        "fixtures/dayu/keys/weak-512.pem",
        DAYU_EVENT,
    ]);
    assert_eq!(sign.code, 0, "{}", sign.stderr);
    assert!(
        sign.stderr.contains("warning:") && sign.stderr.contains("512 bits"),
        "{}",
        sign.stderr
    );
    let verify = run(&[
        "verify",
        "--public-key",
        "fixtures/dayu/keys/weak-512.pub.pem",
        "fixtures/dayu/envelopes/03-accepted.json",
    ]);
    assert_eq!(verify.code, 1, "{}", verify.stderr);
    assert!(verify.stderr.contains("512 bits"), "{}", verify.stderr);
    assert!(!verify.stderr.contains("panicked"));
}
