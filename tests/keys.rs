//! Key loading errors and `keygen`. Bad keys come from `fixtures/dayu/keys/` (made with
//! openssl; fixtures/README.md has the commands).

mod support;

use support::*;

fn verify_with(key: &str) -> Run {
    cbtool([
        "verify",
        "--public-key",
        &format!("fixtures/dayu/keys/{key}"),
        "fixtures/dayu/envelopes/03-accepted.json",
    ])
    .run()
}

#[test]
fn bad_keys_say_what_the_file_is() {
    verify_with("empty.pem").assert_input_error("is empty");
    verify_with("truncated.pem").assert_input_error("truncated");
    verify_with("wrong-label.pem").assert_input_error("PEM label `SOMETHING`");
    verify_with("ec-public.pem").assert_input_error("is an EC key");
    verify_with("ec-private.pem").assert_input_error("EC key");
    verify_with("cert.pem").assert_input_error("X.509 certificate");
    verify_with("openssh.pub").assert_input_error(
        "fixtures/dayu/keys/openssh.pub: is an OpenSSH public key, which cbtool does not read; convert it to PEM: `ssh-keygen -f fixtures/dayu/keys/openssh.pub -e -m PKCS8 > public.pem`",
    );
    verify_with("missing.pem").assert_input_error("cannot read the key");
    let run = cbtool([
        "sign",
        "--private-key",
        PUBLIC_KEY,
        "fixtures/dayu/events/01-created.json",
    ])
    .run();
    run.assert_input_error("needs the private key");
}

#[test]
fn weak_keys_work_with_a_warning() {
    let sign = cbtool([
        "sign",
        "--embed",
        "--private-key",
        "fixtures/dayu/keys/weak-512.pem",
        "fixtures/dayu/events/01-created.json",
    ])
    .run();
    assert_eq!(sign.code, 0, "{}", sign.stderr);
    assert!(sign.stderr.contains("only 512 bits"), "{}", sign.stderr);
    let verify = cbtool([
        "verify",
        "--public-key",
        "fixtures/dayu/keys/weak-512.pub.pem",
        "-",
    ])
    .stdin(sign.stdout.as_bytes())
    .run();
    assert_eq!(verify.code, 0, "{}{}", verify.stdout, verify.stderr);
    assert!(
        verify.stderr.contains("warning:") && verify.stderr.contains("512 bits"),
        "{}",
        verify.stderr
    );
}

#[test]
fn keygen_writes_a_working_pair_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("keys");
    let out_s = out.to_str().unwrap();
    let run = cbtool(["keygen", "--bits", "1024", "--out", out_s]).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("tests only"), "{}", run.stderr);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.join("private.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let private_pem = std::fs::read_to_string(out.join("private.pem")).unwrap();
    assert!(private_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert!(std::fs::read_to_string(out.join("public.pem"))
        .unwrap()
        .starts_with("-----BEGIN PUBLIC KEY-----"));
    let private_b64 = out.join("private.b64");
    let public_b64 = out.join("public.b64");
    let signed = cbtool([
        "sign",
        "--embed",
        "--private-key",
        private_b64.to_str().unwrap(),
        "fixtures/dayu/events/02-assigned.json",
    ])
    .run();
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    let verified = cbtool(["verify", "--public-key", public_b64.to_str().unwrap(), "-"])
        .stdin(signed.stdout.as_bytes())
        .run();
    assert_eq!(verified.code, 0, "{}{}", verified.stdout, verified.stderr);
    cbtool(["keygen", "--bits", "1024", "--out", out_s])
        .run()
        .assert_input_error("--force");
    assert_eq!(
        cbtool(["keygen", "--bits", "1024", "--out", out_s, "--force"])
            .run()
            .code,
        0
    );
    assert_ne!(
        std::fs::read_to_string(out.join("private.pem")).unwrap(),
        private_pem
    );
}
