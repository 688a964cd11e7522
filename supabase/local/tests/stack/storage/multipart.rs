//! Multipart uploads: the boundary rule of RFC 2046 (1 to 70 characters) and a parser whose
//! work grows with the body only, whatever the boundary looks like.
use super::*;

/// Uploads `body` as multipart/form-data with `boundary`, as the signed-up user `token`.
fn upload_multipart(token: &str, name: &str, boundary: &str, body: &[u8]) -> (u16, Value) {
    let auth = bearer(token);
    let ctype = format!("multipart/form-data; boundary={boundary}");
    let path = format!("/storage/v1/object/generated_assets/{name}");
    let (status, _, resp) =
        raw("POST", &path, &[("apikey", ANON), ("authorization", &auth), ("content-type", &ctype)], body);
    (status, json_of(&resp))
}

/// A multipart body holding one PNG file part with `content`.
fn one_file(boundary: &str, content: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"\"; filename=\"blob\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

#[test]
fn a_boundary_longer_than_seventy_characters_is_refused_and_nothing_is_stored() {
    let (token, _, uid, _) = new_user();
    // The user may write this name, so only the boundary can make the upload fail.
    let name = format!("{uid}/mp/long.png");
    let boundary = "b".repeat(71);
    let (status, body) = upload_multipart(&token, &name, &boundary, &one_file(&boundary, PNG));
    assert_storage_error(status, &body, "400", "InvalidRequest");
    assert!(body["message"].as_str().is_some_and(|m| m.contains("boundary")), "{body}");
    assert!(!stored("generated_assets", &name).exists());

    // The shape that stalled the API: a 64 KiB boundary over 4 MiB that almost repeats it,
    // sent with only the anon key.
    let boundary = "-".repeat(64 * 1024);
    let mut block = "-".repeat(64 * 1024 + 1).into_bytes();
    block.push(b'x');
    let body: Vec<u8> = block.iter().copied().cycle().take(4 << 20).collect();
    let ctype = format!("multipart/form-data; boundary={boundary}");
    let (status, _, resp) = raw(
        "POST",
        "/storage/v1/object/generated_assets/anon/a.png",
        &[("apikey", ANON), ("authorization", &bearer(ANON)), ("content-type", &ctype)],
        &body,
    );
    assert_storage_error(status, &json_of(&resp), "400", "InvalidRequest");
}

#[test]
fn the_longest_boundary_over_content_that_almost_matches_it_everywhere_round_trips() {
    let (token, _, uid, _) = new_user();
    let name = format!("{uid}/mp/near.png");
    let boundary = "q".repeat(70);
    // A megabyte of CRLF + "--" + all but the last character of the boundary: every line is a
    // near match of the delimiter, the worst case for a naive search.
    let near = format!("\r\n--{}x", &boundary[..69]);
    let content: Vec<u8> = near.bytes().cycle().take(1 << 20).collect();
    let (status, body) = upload_multipart(&token, &name, &boundary, &one_file(&boundary, &content));
    assert_eq!(status, 200, "{body}");
    let (status, h, bytes) = get(&token, &format!("/storage/v1/object/generated_assets/{name}"));
    assert_eq!((status, hdr(&h, "content-type")), (200, Some("image/png")));
    assert!(bytes == content, "the stored file differs from the part ({} bytes vs {})", bytes.len(), content.len());
}
