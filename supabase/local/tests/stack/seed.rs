//! The seeded demo data is real: every completed generation seed.sql writes points at media
//! that `[storage.buckets.generated_assets] objects_path` stored, on this instance's own port,
//! with the type and pixel size the row claims.
use crate::common::{bearer, call, instance, new_user};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;

const DEMO_USER: &str = "d0d0d0d0-0000-4000-8000-000000000001";

/// GET of an absolute URL on the instance, without an API key (as a browser or a platform
/// fetching a public URL does): (status, content type, body bytes).
fn fetch(url: &str) -> (u16, String, Vec<u8>) {
    let origin = format!("http://127.0.0.1:{}", instance().port);
    let path = url.strip_prefix(&origin).unwrap_or_else(|| panic!("{url} is not on this instance ({origin})"));
    let mut s = TcpStream::connect(("127.0.0.1", instance().port)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let split = out.windows(4).position(|w| w == b"\r\n\r\n").expect("header end");
    let head = String::from_utf8_lossy(&out[..split]).into_owned();
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).expect("status line");
    let ctype = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    (status, ctype, out[split + 4..].to_vec())
}

fn png_size(b: &[u8]) -> (i64, i64) {
    assert!(b.starts_with(b"\x89PNG\r\n\x1a\n") && &b[12..16] == b"IHDR", "not a PNG");
    let be = |o: usize| u32::from_be_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]) as i64;
    (be(16), be(20))
}

/// The coded size in the MP4's `avc1` sample entry.
fn mp4_size(b: &[u8]) -> (i64, i64) {
    assert_eq!(&b[4..8], b"ftyp", "not an MP4");
    // The sample entry sits inside `stsd` (`avc1` also appears among ftyp's brands).
    let stsd = b.windows(4).position(|w| w == b"stsd").expect("a sample description");
    let at = stsd + b[stsd..].windows(4).position(|w| w == b"avc1").expect("an H.264 track") + 4 + 24;
    let be16 = |o: usize| u16::from_be_bytes([b[o], b[o + 1]]) as i64;
    (be16(at), be16(at + 2))
}

fn demo_token() -> String {
    let body = r#"{"email":"demo@atelier.test","password":"atelier-demo"}"#;
    let r = call("POST", "/auth/v1/token?grant_type=password", &[], Some(body));
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["access_token"].as_str().unwrap().to_string()
}

#[test]
fn seeded_generations_have_real_media_on_this_port() {
    let auth = bearer(&demo_token());
    let r = call("GET", "/rest/v1/generations?status=eq.completed&order=id", &[("Authorization", &auth)], None);
    assert_eq!(r.status, 200, "{}", r.body);
    let rows = r.json().as_array().cloned().unwrap();
    let kinds: Vec<&str> = rows.iter().map(|g| g["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"image") && kinds.contains(&"video"), "images and a video are seeded: {kinds:?}");
    let origin = format!("http://127.0.0.1:{}/storage/v1/object/public/generated_assets/", instance().port);
    for g in &rows {
        let id = g["id"].as_str().unwrap();
        let (w, h) = (g["width"].as_i64().unwrap(), g["height"].as_i64().unwrap());
        let path = g["media_path"].as_str().unwrap();
        assert!(path.starts_with(&format!("{DEMO_USER}/{id}/")), "{id}: media under <user>/<generation>/: {path}");
        assert_eq!(g["media_url"].as_str().unwrap(), format!("{origin}{path}"), "{id}: the URL names this instance");
        assert_eq!(g["model"], "atelier-demo-1", "{id}");
        assert_eq!((g["params"]["width"].as_i64(), g["params"]["height"].as_i64()), (Some(w), Some(h)), "{id}");

        let (status, ctype, bytes) = fetch(g["media_url"].as_str().unwrap());
        assert_eq!(status, 200, "{id}: media answers");
        if g["kind"] == "video" {
            assert_eq!(ctype, "video/mp4", "{id}");
            assert_eq!(mp4_size(&bytes), (w, h), "{id}: stored size is the video's");
            assert!(w < h, "{id}: the seeded video is portrait (9:16)");
            assert_eq!(g["duration_ms"], 1000, "{id}");
        } else {
            assert_eq!(ctype, "image/png", "{id}");
            assert_eq!(png_size(&bytes), (w, h), "{id}: stored size is the PNG's");
        }
        let thumb = g["thumbnail_url"].as_str().expect("a thumbnail or poster");
        assert!(thumb.starts_with(&origin), "{id}: {thumb}");
        let (status, ctype, bytes) = fetch(thumb);
        assert_eq!((status, ctype.as_str()), (200, "image/png"), "{id}: thumbnail answers");
        let (tw, th) = png_size(&bytes);
        assert_eq!(tw * h / w, th, "{id}: the thumbnail keeps the media's shape ({tw}x{th} for {w}x{h})");
    }
}

#[test]
fn seeded_objects_belong_to_the_demo_user() {
    let token = demo_token();
    let auth = bearer(&token);
    let ids = call("GET", "/rest/v1/generations?status=eq.completed&select=id", &[("Authorization", &auth)], None);
    let ids: Vec<String> =
        ids.json().as_array().unwrap().iter().map(|g| g["id"].as_str().unwrap().to_string()).collect();
    assert!(!ids.is_empty(), "the demo user has completed generations");
    // Another signed-in creator: the folder policies, not the lack of a session, keep them out.
    let (someone_else, _, _, _) = new_user();
    let list = |auth: &str, prefix: &str| {
        let body = format!(r#"{{"prefix":"{prefix}","limit":10}}"#);
        let r = call("POST", "/storage/v1/object/list/generated_assets", &[("Authorization", auth)], Some(&body));
        assert_eq!(r.status, 200, "{}", r.body);
        r.json().as_array().unwrap().iter().map(|o: &Value| o["name"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    for id in &ids {
        let prefix = format!("{DEMO_USER}/{id}");
        let names = list(&auth, &prefix);
        assert!(names.iter().any(|n| n == "thumbnail-1.png"), "{id}: the owner lists its files: {names:?}");
        assert_eq!(list(&bearer(&someone_else), &prefix), Vec::<String>::new(), "{id}: another user lists none");
    }
    assert_eq!(list(&bearer(&someone_else), DEMO_USER), Vec::<String>::new(), "nor the demo user's folder");
}

/// A project whose objects_path holds a file its bucket refuses: the instance does not start,
/// the error names the file, and no object is stored.
#[test]
fn a_file_the_bucket_refuses_stops_the_start_and_stores_nothing() {
    let free = || std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let root = std::env::temp_dir().join(format!("supabase-local-seed-refused-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let (project, data) = (root.join("project"), root.join("data"));
    let files = project.join("supabase/seed/media/u1");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::write(
        project.join("supabase/config.toml"),
        "[storage.buckets.media]\npublic = true\nallowed_mime_types = [\"image/png\"]\nobjects_path = \"./seed/media\"\n",
    )
    .unwrap();
    std::fs::write(files.join("ok.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    std::fs::write(files.join("notes.txt"), b"not an image").unwrap();
    // World-readable, so PostgreSQL running as `postgres` (when tests run as root) reaches it.
    for dir in [&root, &project] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_supabase-local"))
        .args(["serve", "--test-instance", "--quiet", "--workdir"])
        .arg(&project)
        .args(["--api-port", &free().to_string(), "--db-port", &free().to_string(), "--data-dir"])
        .arg(&data)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run supabase-local serve");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the start is refused: {stderr}");
    assert!(
        stderr.contains("cannot seed") && stderr.contains("notes.txt") && stderr.contains("bucket media"),
        "the error names the file and bucket: {stderr}"
    );
    assert!(!data.join("storage/media").exists(), "no object was written, not even the valid one");
    let _ = std::fs::remove_dir_all(&root);
}

/// The demo user signs in to a story, not an empty form: several sessions whose newest has
/// results, a few starred picks, posts already out, posts due in the coming days and one that
/// failed with its reason. Rows are read as the demo user, through the API the app uses; post
/// times are compared with the database's clock.
#[test]
fn the_demo_user_has_a_story_to_show() {
    let auth = bearer(&demo_token());
    let get = |path: &str| {
        let r = call("GET", path, &[("Authorization", &auth)], None);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        r.json().as_array().cloned().unwrap()
    };
    let completed_in = |session: &str| {
        get(&format!("/rest/v1/generations?session_id=eq.{session}&status=eq.completed&select=id")).len()
    };
    let sessions = get("/rest/v1/sessions?select=id,title&order=created_at.desc");
    assert!(sessions.len() >= 4, "several sessions: {sessions:?}");
    assert!(completed_in(sessions[0]["id"].as_str().unwrap()) >= 3, "the session that opens first shows results");
    for s in &sessions {
        assert!(completed_in(s["id"].as_str().unwrap()) >= 1, "{}: every session has an output", s["title"]);
    }
    let starred = get("/rest/v1/generations?starred=is.true&status=eq.completed&select=id");
    assert!(starred.len() >= 3, "a few starred picks: {}", starred.len());

    let posts = get("/rest/v1/posts?select=id,status,error");
    let of = |status: &str| posts.iter().filter(|p| p["status"] == status).collect::<Vec<_>>();
    assert!(of("published").len() >= 3, "posts already out: {posts:?}");
    let failed = of("failed");
    assert_eq!(failed.len(), 1, "one failed post: {posts:?}");
    let reason = failed[0]["error"].as_str().unwrap_or_default();
    assert!(reason.contains("facebook") && reason.contains("expired"), "the failure says why: {reason}");

    // Scheduled ones stay ahead of pg_cron's minute sweep whenever the stack starts: more than
    // a day out, on days to come; published ones are in the past.
    let conninfo =
        format!("host=127.0.0.1 port={} user=postgres password=postgres dbname=postgres", instance().db_port);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (ahead, days, past) = rt.block_on(async {
        let (db, conn) = tokio_postgres::connect(&conninfo, tokio_postgres::NoTls).await.expect("connect to postgres");
        tokio::spawn(conn);
        let row = db
            .query_one(
                "select count(*) filter (where status = 'scheduled' and scheduled_at > now() + interval '1 day'),
                        count(distinct scheduled_at::date) filter (where status = 'scheduled'),
                        count(*) filter (where status = 'published' and published_at < now())
                 from public.posts where user_id = $1::text::uuid",
                &[&DEMO_USER],
            )
            .await
            .unwrap();
        (row.get::<_, i64>(0), row.get::<_, i64>(1), row.get::<_, i64>(2))
    });
    assert_eq!(ahead as usize, of("scheduled").len(), "every scheduled post is over a day ahead");
    assert!(ahead >= 3 && days >= 2, "several posts due over the coming days: {ahead} on {days} days");
    assert_eq!(past as usize, of("published").len(), "published posts went out in the past");
}
