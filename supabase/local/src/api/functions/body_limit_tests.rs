//! The request-body cap against a fixture function that counts what reaches it.
use super::body_limit::MAX_REQUEST_BODY;
use super::tests::{call, deno_fixture};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_the_cap_is_413_and_never_reaches_the_function() {
    let (f, root) = deno_fixture(20_000);
    let too_big = "x".repeat(20 << 20);
    let length = too_big.len().to_string();
    let (status, headers, body) =
        call(&f, "POST", "/functions/v1/count", &[("content-length", length.as_str())], &too_big).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap(),
        json!({"message": "Request size limit exceeded"})
    );
    assert!(headers.iter().any(|(k, v)| k == "content-type" && v.starts_with("application/json")));
    // A body of unknown length (no Content-Length) is held to the same cap.
    let (status, _, _) = call(&f, "POST", "/functions/v1/count", &[], &too_big).await;
    assert_eq!(status, 413);
    // The function's first request is the next one: neither refused body reached it.
    let at_cap = "x".repeat(MAX_REQUEST_BODY);
    let (status, _, body) = call(&f, "POST", "/functions/v1/count", &[], &at_cap).await;
    assert_eq!((status, body.as_str()), (200, r#"{"n":1}"#));
    let _ = std::fs::remove_dir_all(root);
}
