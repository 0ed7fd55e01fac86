//! Criterion benchmarks for the core: a typical paste, a 10 MB log, a 100 MB HAR capture
//! (analysed, and sanitized).
//! Run with `./build.sh bench`; numbers go in BENCHMARKS.md.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use aadsts_explainer::{scan_bytes, scan_text, HarAnalyzer, HarSanitizer, SanitizeOptions};
    use criterion::{black_box, Criterion, Throughput};

    const PASTE: &str = r#"Connect-AzAccount : AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '797f4846-ba00-4fd7-ba43-dac1f8f63013'.
Trace ID: 0a1b2c3d-0000-4e5f-8a9b-001122334455
Correlation ID: 9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff
Timestamp: 2024-05-06 07:08:09Z
At line:1 char:1
+ Connect-AzAccount
+ ~~~~~~~~~~~~~~~~~
    + CategoryInfo          : CloseError: (:) [Connect-AzAccount], AuthenticationFailedException
    + FullyQualifiedErrorId : Microsoft.Azure.Commands.Profile.ConnectAzureRmAccountCommand
{"error":"interaction_required","error_description":"AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '797f4846-ba00-4fd7-ba43-dac1f8f63013'.\r\nTrace ID: 0a1b2c3d-0000-4e5f-8a9b-001122334455\r\nCorrelation ID: 9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff\r\nTimestamp: 2024-05-06 07:08:09Z","error_codes":[50076],"timestamp":"2024-05-06 07:08:09Z","trace_id":"0a1b2c3d-0000-4e5f-8a9b-001122334455","correlation_id":"9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff","error_uri":"https://login.microsoftonline.com/error?code=50076","suberror":"basic_action"}"#;

    /// 10 MB of ordinary service log with an Entra error every ~2,000 lines.
    fn log_10mb() -> Vec<u8> {
        let lines = [
            "2024-05-06T07:08:09.123Z INFO  [worker-3] GET /api/orders/48213 200 12ms user_id=8812 region=westeurope\n",
            "2024-05-06T07:08:09.125Z DEBUG [cache] hit ratio=0.93 size=50125 evictions=3 chunk=main.50125.chunk.js\n",
            "2024-05-06T07:08:09.130Z WARN  [http] retrying POST https://graph.microsoft.com/v1.0/me (attempt 2) status=429\n",
            "2024-05-06T07:08:09.131Z INFO  [auth] token cache miss for scope https://graph.microsoft.com/.default\n",
        ];
        let mut out = Vec::with_capacity(10 << 20);
        let mut i = 0usize;
        while out.len() < 10 << 20 {
            if i % 2000 == 1999 {
                out.extend_from_slice(b"2024-05-06T07:08:10Z ERROR [auth] MsalUiRequiredException: AADSTS700082: The refresh token has expired due to inactivity. Trace ID: 0a1b2c3d-0000-4e5f-8a9b-001122334455 Correlation ID: 9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff Timestamp: 2024-05-06 07:08:10Z\n");
            } else {
                out.extend_from_slice(lines[i % lines.len()].as_bytes());
            }
            i += 1;
        }
        out
    }

    /// A ~100 MB capture: image entries with 1 MB base64 bodies (what makes real
    /// captures large), and every 20th entry a sign-in error in a JSON body.
    pub fn har_100mb() -> Vec<u8> {
        // The base64 of 589,824 bytes, the `size` the entries declare.
        let image: String = "iVBORw0KGgoAAAANSUhEUgAA".repeat(1 << 20 >> 5);
        let mut out = String::with_capacity(105 << 20);
        out.push_str(r#"{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[],"entries":["#);
        let mut i = 0;
        while out.len() < 100 << 20 {
            if i > 0 {
                out.push(',');
            }
            if i % 20 == 19 {
                out.push_str(r#"{"startedDateTime":"2024-05-06T07:08:09.000Z","time":120,"request":{"method":"POST","url":"https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token","headers":[],"postData":{"mimeType":"application/x-www-form-urlencoded","text":"client_id=11111111-2222-3333-4444-555555555555&grant_type=refresh_token&scope=openid"}},"response":{"status":400,"headers":[{"name":"Content-Type","value":"application/json"}],"content":{"mimeType":"application/json","text":"{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS700082: The refresh token has expired due to inactivity.\\r\\nTrace ID: 0a1b2c3d-0000-4e5f-8a9b-001122334455\\r\\nCorrelation ID: 9f8e7d6c-1111-4a2b-9c3d-aabbccddeeff\",\"error_codes\":[700082]}"},"redirectURL":""}}"#);
            } else {
                out.push_str(r#"{"startedDateTime":"2024-05-06T07:08:09.000Z","time":30,"request":{"method":"GET","url":"https://cdn.contoso.com/img/photo.png","headers":[{"name":"Accept","value":"image/png"}]},"response":{"status":200,"headers":[{"name":"Content-Type","value":"image/png"}],"content":{"size":589824,"mimeType":"image/png","encoding":"base64","text":""#);
                out.push_str(&image);
                out.push_str(r#""},"redirectURL":""}}"#);
            }
            i += 1;
        }
        out.push_str("]}}");
        out.into_bytes()
    }

    pub fn benches(c: &mut Criterion) {
        let mut g = c.benchmark_group("scan");
        g.throughput(Throughput::Bytes(PASTE.len() as u64));
        g.bench_function("typical_paste", |b| b.iter(|| scan_text(black_box(PASTE))));
        let log = log_10mb();
        g.throughput(Throughput::Bytes(log.len() as u64));
        g.sample_size(20);
        g.bench_function("log_10mb", |b| b.iter(|| scan_bytes(black_box(&log))));
        g.finish();

        let har = har_100mb();
        let mut g = c.benchmark_group("har");
        g.throughput(Throughput::Bytes(har.len() as u64));
        g.sample_size(10);
        g.bench_function("capture_100mb_in_1mb_chunks", |b| {
            b.iter(|| {
                let mut a = HarAnalyzer::new();
                for chunk in black_box(&har).chunks(1 << 20) {
                    a.feed(chunk);
                }
                a.finish()
            })
        });
        // As the page's worker reads a File: from wherever the analysis
        // wants, 8 KiB after a skipped body, doubling while it reads on.
        g.bench_function("capture_100mb_seeking", |b| {
            b.iter(|| {
                let har = black_box(&har);
                let mut a = HarAnalyzer::seekable(har.len() as u64);
                let (mut last, mut len) = (0usize, 8usize << 10);
                while let Some(at) = a.wanted() {
                    let at = at as usize;
                    if at >= har.len() {
                        break;
                    }
                    len = if at == last {
                        (len * 2).min(16 << 20)
                    } else {
                        8 << 10
                    };
                    last = (at + len).min(har.len());
                    a.feed_at(at as u64, &har[at..last]);
                }
                a.finish()
            })
        });
        g.finish();

        let mut g = c.benchmark_group("sanitize");
        g.throughput(Throughput::Bytes(har.len() as u64));
        g.sample_size(10);
        let mut out = Vec::with_capacity(8 << 20);
        g.bench_function("capture_100mb_in_1mb_chunks", |b| {
            b.iter(|| {
                let mut s = HarSanitizer::new(&SanitizeOptions::default());
                for chunk in black_box(&har).chunks(1 << 20) {
                    s.feed(chunk, &mut out);
                    // A writer would take the output here; the bench drops it.
                    out.clear();
                }
                s.finish(&mut out).unwrap()
            })
        });
        g.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, native::benches);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
