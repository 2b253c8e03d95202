//! The server's side of the wire: reading one HTTP/1.1 request off a connection and
//! carrying out the scripted [`Action`] on it (an answer, a hang, a reset, …).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use super::server::{handle, Action, Handler, Log, Received, NORMAL};

fn respond(stream: &mut impl Write, status: u16, headers: &[(String, String)], body: &str) {
    respond_on(stream, status, headers, body, "close");
}

fn respond_on(
    stream: &mut impl Write,
    status: u16,
    headers: &[(String, String)],
    body: &str,
    connection: &str,
) {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: {connection}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
    let _ = stream.flush();
}

pub(super) fn serve_tls(
    stream: TcpStream,
    connection: usize,
    config: Arc<rustls::ServerConfig>,
    log: &Log,
    handler: &Handler,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Ok(conn) = rustls::ServerConnection::new(config) else {
        return;
    };
    let mut tls = rustls::StreamOwned::new(conn, stream);
    let Some(request) = read_request(&mut tls, connection) else {
        return;
    };
    if let Action::Respond {
        status,
        headers,
        body,
    } = handle(request, log, handler)
    {
        respond(&mut tls, status, &headers, &body);
        tls.conn.send_close_notify();
        let _ = tls.flush();
    }
}

/// Answers requests on one connection until the client closes it.
pub(super) fn serve_keep_alive(mut stream: TcpStream, connection: usize, log: &Log) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    while let Some(request) = read_request(&mut stream, connection) {
        log.requests.lock().unwrap().push(request);
        respond_on(&mut stream, 200, &[], NORMAL, "keep-alive");
    }
}

pub(super) fn serve(mut stream: TcpStream, connection: usize, log: &Log, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Some(request) = read_request(&mut stream, connection) else {
        return;
    };
    match handle(request, log, handler) {
        Action::Respond {
            status,
            headers,
            body,
        } => respond(&mut stream, status, &headers, &body),
        Action::Hang(d) => thread::sleep(d),
        Action::Reset => {
            let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
        }
        Action::Endless => {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n");
            let chunk = [b'x'; 8192];
            while stream.write_all(&chunk).is_ok() {}
        }
        Action::StallMidBody(d) => {
            let body = NORMAL.as_bytes();
            let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len());
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body[..body.len() / 2]);
            let _ = stream.flush();
            thread::sleep(d);
        }
        Action::Close => drop(stream),
        Action::Slow(d) => {
            thread::sleep(d);
            respond(&mut stream, 200, &[], NORMAL);
        }
    }
}

fn read_request(stream: &mut impl Read, connection: usize) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut req = httparse::Request::new(&mut headers);
        if let Ok(httparse::Status::Complete(head_len)) = req.parse(&buf) {
            let headers: Vec<(String, String)> = req
                .headers
                .iter()
                .map(|h| {
                    (
                        h.name.to_string(),
                        String::from_utf8_lossy(h.value).into_owned(),
                    )
                })
                .collect();
            let length: usize = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let path = req.path.unwrap_or_default().to_string();
            let method = req.method.unwrap_or_default().to_string();
            while buf.len() < head_len + length {
                let n = stream.read(&mut chunk).ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let at = Instant::now();
            let body = buf[head_len..head_len + length].to_vec();
            buf.truncate(head_len + length);
            return Some(Received {
                at,
                method,
                path,
                headers,
                body,
                raw: buf,
                connection,
            });
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}
