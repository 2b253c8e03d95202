//! `listen`'s request handling against `verify --request` on the same bytes: a raw
//! HTTP request is sent to a receiver running in this process (on loopback, through
//! hyper, as `listen` serves it), and written to a file that `cbtool verify --request`
//! reads. Where the receiver judged the signature, the two verdicts must agree.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use cbtool::credentials::{Credentials, Given};
use cbtool::listen::{self, FaultMode, FaultPlan, Limits, Receiver, Record, SeenIds};
use cbtool::secret::Secret;

use super::fixtures;

/// The receiver, started once, and the runtime it runs on.
struct Server {
    addr: SocketAddr,
    running: Mutex<listen::Running>,
    _runtime: tokio::runtime::Runtime,
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let secret = std::fs::read(fixtures().join("autox3/secret.txt")).unwrap_or_default();
        let creds = Credentials::default()
            .with(
                &cbtool::vendors::autox3::credential::APP_SECRET,
                Given::Secret(Secret::new(secret.trim_ascii().to_vec())),
            )
            .with(
                &cbtool::vendors::dayu::credential::PUBLIC_KEY,
                Given::Path(fixtures().join("dayu/keys/public.pem")),
            );
        let faults = FaultPlan::new(0, 0.0, 0, FaultMode::Http500);
        let receiver = Receiver::new(creds, None, SeenIds::in_memory(), faults);
        let limits = Limits {
            max_body: 1 << 20,
            read_timeout: Duration::from_secs(2),
            max_connections: 4,
            delay: Duration::ZERO,
            hang: Duration::ZERO,
            grace: Duration::from_secs(1),
            // A serving thread of its own, as `cbtool listen` has.
            workers: 1,
        };
        let addr: SocketAddr = "127.0.0.1:0".parse().expect("an address");
        let running = runtime
            .block_on(listen::start(addr, receiver, None, limits))
            .expect("the receiver starts");
        Server {
            addr: running.addr,
            running: Mutex::new(running),
            _runtime: runtime,
        }
    })
}

/// The first record the receiver made of this request (a pipelined second request
/// makes more; they are dropped).
fn listen_record(data: &[u8]) -> Option<Record> {
    let server = server();
    let mut running = server.running.lock().unwrap_or_else(|e| e.into_inner());
    while running.records.try_recv().is_ok() {}
    let mut stream = TcpStream::connect(server.addr).expect("connect to the receiver");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("a read time-out");
    // The server may answer and close before reading everything: errors are expected.
    let _ = stream.write_all(data);
    let _ = stream.shutdown(Shutdown::Write);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    // The record is sent before the answer is written, so it is there by now.
    let mut first: Option<Record> = None;
    while let Ok(record) = running.records.try_recv() {
        if first.as_ref().is_none_or(|f| record.seq < f.seq) {
            first = Some(record);
        }
    }
    first
}

fn request_file() -> PathBuf {
    std::env::temp_dir().join(format!("cbtool-fuzz-listen-{}.http", std::process::id()))
}

/// `cbtool verify --request` on the bytes: 0 valid, 1 invalid, 2 an error.
fn verify_exit(data: &[u8]) -> i32 {
    let path = request_file();
    std::fs::write(&path, data).expect("a temporary file");
    let secret = fixtures().join("autox3/secret.txt");
    let public = fixtures().join("dayu/keys/public.pem");
    let args = [
        "cbtool".into(),
        "verify".into(),
        "--request".into(),
        "--json".into(),
        "--secret-file".into(),
        secret.into_os_string(),
        "--public-key".into(),
        public.into_os_string(),
        path.clone().into_os_string(),
    ];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = cbtool::run(args, &mut out, &mut err);
    let _ = std::fs::remove_file(&path);
    code
}

/// A request with a body but neither `Content-Length` nor `Transfer-Encoding`: HTTP/1.1
/// gives it no body, which is what hyper, and so `listen`, reads; `verify --request`
/// reads the rest of the file as the body on purpose, since hand-written and logged
/// requests often lack the header, and says so in a note. The readings differ by design.
fn unframed(data: &[u8]) -> bool {
    cbtool::http_request::parse("fuzz", data).is_ok_and(|r| r.unframed())
}

pub fn listen(data: &[u8]) -> String {
    if unframed(data) {
        return "unframed".into();
    }
    let record = listen_record(data);
    let code = verify_exit(data);
    let Some(record) = record else {
        // hyper refused the request head: nothing reached the receiver.
        return format!("no record {code}");
    };
    let d = &record.decision;
    let listen_valid = d.signature_valid == Some(true);
    if d.vendor.is_some() {
        // The receiver detected a vendor and judged the callback: verify must agree.
        assert_eq!(
            listen_valid,
            code == 0,
            "listen says signature_valid {:?} ({:?}), verify --request exits {code}: {:?}",
            d.signature_valid,
            d.error,
            String::from_utf8_lossy(data)
        );
    } else if d
        .error
        .as_deref()
        .is_some_and(|e| e.starts_with("the body is not JSON"))
    {
        assert_ne!(
            code,
            0,
            "listen found no JSON body, verify --request a valid one: {:?}",
            String::from_utf8_lossy(data)
        );
    }
    format!("{:?} {listen_valid} {code}", record.http_status)
}
