//! Downloads streamed from disk: whole objects, single byte ranges (206), and ranges past the
//! end (416 with the object's size), on every download route.
use super::*;

/// 300 KiB that differ at every offset, so a range from the wrong place would show.
fn content() -> Vec<u8> {
    (0..300 * 1024u32).map(|i| (i % 251) as u8 ^ (i >> 8) as u8).collect()
}

/// An object of `content()` in a private bucket and in the public `generated_assets`; returns
/// the paths of every route that serves them (the signed one needs no headers).
fn routes(bytes: &[u8]) -> (String, Vec<String>) {
    let (token, _, uid, _) = new_user();
    let name = format!("{uid}/ranges/a.png");
    assert_eq!(upload("POST", &token, "generated_assets", &name, "image/png", bytes, false).0, 200);
    let r = post_json(&token, &format!("/storage/v1/object/sign/generated_assets/{name}"), json!({"expiresIn": 600}));
    assert_eq!(r.status, 200, "{}", r.body);
    let signed = format!("/storage/v1{}", r.json()["signedURL"].as_str().unwrap());
    let paths = vec![
        format!("/storage/v1/object/generated_assets/{name}"),
        format!("/storage/v1/object/authenticated/generated_assets/{name}"),
        format!("/storage/v1/object/public/generated_assets/{name}"),
        signed,
    ];
    (token, paths)
}

fn get_range(token: &str, path: &str, range: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    raw("GET", path, &[("apikey", ANON), ("authorization", &bearer(token)), ("range", range)], b"")
}

#[test]
fn whole_objects_download_unchanged_on_every_route() {
    let bytes = content();
    let (token, paths) = routes(&bytes);
    for path in &paths {
        let (status, h, body) = get(&token, path);
        assert_eq!(status, 200, "{path}");
        assert!(body == bytes, "{path}: {} bytes served", body.len());
        assert_eq!(hdr(&h, "content-length"), Some(bytes.len().to_string().as_str()), "{path}");
        assert_eq!(hdr(&h, "accept-ranges"), Some("bytes"), "{path}");
        assert_eq!(hdr(&h, "content-range"), None, "{path}");
        let (status, h, body) = raw("HEAD", path, &[("apikey", ANON), ("authorization", &bearer(&token))], b"");
        assert_eq!((status, body.len()), (200, 0), "{path}");
        assert_eq!(hdr(&h, "content-length"), Some(bytes.len().to_string().as_str()), "{path}");
    }
}

#[test]
fn a_byte_range_is_206_with_exactly_those_bytes_on_every_route() {
    let bytes = content();
    let len = bytes.len();
    let (token, paths) = routes(&bytes);
    for path in &paths {
        for (range, start, end) in [
            ("bytes=70000-200000", 70_000, 200_000),
            ("bytes=-5", len - 5, len - 1),
            ("bytes=307190-", 307_190, len - 1),
        ] {
            let (status, h, body) = get_range(&token, path, range);
            assert_eq!(status, 206, "{path} {range}");
            assert!(body == bytes[start..=end], "{path} {range}: {} bytes", body.len());
            let expected = format!("bytes {start}-{end}/{len}");
            assert_eq!(hdr(&h, "content-range"), Some(expected.as_str()), "{path} {range}");
            assert_eq!(hdr(&h, "content-length"), Some((end - start + 1).to_string().as_str()));
            assert_eq!(hdr(&h, "accept-ranges"), Some("bytes"));
        }
        // A range reaching past the end is cut at the last byte.
        let (status, h, body) = get_range(&token, path, "bytes=307199-999999999");
        assert_eq!((status, body.as_slice()), (206, &bytes[len - 1..]), "{path}");
        assert_eq!(hdr(&h, "content-range"), Some(format!("bytes {}-{}/{len}", len - 1, len - 1).as_str()));
    }
}

#[test]
fn a_range_starting_past_the_end_is_416_with_the_size() {
    let bytes = content();
    let len = bytes.len();
    let (token, paths) = routes(&bytes);
    for path in &paths {
        for range in [format!("bytes={len}-"), format!("bytes={}-{}", len + 10, len + 20), "bytes=-0".to_string()] {
            let (status, h, body) = get_range(&token, path, &range);
            assert_eq!(status, 416, "{path} {range}");
            assert_eq!(hdr(&h, "content-range"), Some(format!("bytes */{len}").as_str()), "{path} {range}");
            let err = json_of(&body);
            assert_eq!(
                (err["statusCode"].as_str(), err["code"].as_str()),
                (Some("416"), Some("InvalidRange")),
                "{err}"
            );
        }
    }
}
