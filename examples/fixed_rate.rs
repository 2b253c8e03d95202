//! Benchmark helper (not a test): latency at a fixed request rate, which wrk cannot do
//! (wrk sends as fast as it can; wrk2, which has `--rate`, is not in Debian). Requests are
//! scheduled at exact times (`RATE` a second, open loop) over a pool of keep-alive
//! connections, and each latency is counted from the time the request was due, not from
//! when it was sent: a stall then shows in every request it delays (no coordinated
//! omission).
//!
//! Run: `cargo run --release --example fixed_rate -- URL BODY_FILE [RATE] [SECONDS]`
//! (defaults 1000, 10). Prints `p50_ms X p99_ms Y max_ms Z errors N sent M`.

use std::error::Error;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use tokio::sync::Mutex;

type Latencies = Arc<Mutex<Vec<Duration>>>;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(url), Some(body)) = (args.get(1), args.get(2)) else {
        return Err("usage: fixed_rate URL BODY_FILE [RATE] [SECONDS]".into());
    };
    let rate: u64 = args.get(3).map_or(Ok(1000), |s| s.parse())?;
    let seconds: u64 = args.get(4).map_or(Ok(10), |s| s.parse())?;
    let uri: hyper::Uri = url.parse()?;
    let body = Bytes::from(std::fs::read(body)?);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (latencies, errors) = runtime.block_on(async move {
        let mut http = HttpConnector::new();
        http.set_nodelay(true);
        let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .build(http);
        let latencies: Latencies = Arc::default();
        let errors = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let start = tokio::time::Instant::now() + Duration::from_millis(100);
        let total = rate * seconds;
        let mut tasks = Vec::with_capacity(usize::try_from(total).unwrap_or(0));
        for i in 0..total {
            let due = start + Duration::from_nanos(i * 1_000_000_000 / rate);
            tokio::time::sleep_until(due).await;
            let request = Request::builder()
                .method(Method::POST)
                .uri(uri.clone())
                .header("content-type", "application/json")
                .body(Full::new(body.clone()));
            let (client, latencies, errors) =
                (client.clone(), Arc::clone(&latencies), Arc::clone(&errors));
            tasks.push(tokio::spawn(async move {
                let ok = match request {
                    Ok(request) => match client.request(request).await {
                        Ok(response) => {
                            let good = response.status().is_success();
                            good && response.into_body().collect().await.is_ok()
                        }
                        Err(_) => false,
                    },
                    Err(_) => false,
                };
                let elapsed = Instant::now().duration_since(due.into_std());
                if ok {
                    latencies.lock().await.push(elapsed);
                } else {
                    errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            }));
        }
        for task in tasks {
            let _ = task.await;
        }
        let latencies = std::mem::take(&mut *latencies.lock().await);
        (latencies, errors.load(std::sync::atomic::Ordering::Relaxed))
    });
    let mut sorted = latencies;
    sorted.sort();
    println!(
        "p50_ms {:.3} p99_ms {:.3} max_ms {:.3} errors {errors} sent {}",
        percentile(&sorted, 0.50),
        percentile(&sorted, 0.99),
        percentile(&sorted, 1.0),
        sorted.len() as u64 + errors
    );
    Ok(())
}
