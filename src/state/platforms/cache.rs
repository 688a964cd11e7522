//! The rows of `public.platform_limits`, compiled into the app so the first screen needs no
//! request for them. They are a cache of the database, never a second source:
//! tests/schema_mirror.rs compares them with the migrated database's rows, field by field, and
//! fails on any difference. Change a migration's limits, then these rows to match.

use crate::domain::platforms::{AspectRatio, PlatformLimits};
use crate::domain::Platform;

use AspectRatio::{
    Landscape16x9 as R16x9, Portrait2x3 as R2x3, Portrait4x5 as R4x5, Square as R1x1, Vertical9x16 as R9x16,
};

/// Every ratio, in the database type's order.
const ALL_RATIOS: &[AspectRatio] = &[R1x1, R4x5, R9x16, R16x9, R2x3];

/// One row in `const` form (`PlatformLimits` holds owned lists and text).
struct Row {
    platform: Platform,
    display_name: &'static str,
    caption_max: u32,
    caption_counts_bytes: bool,
    caption_max_bytes: Option<u32>,
    url_length: Option<u32>,
    hashtag_max: u32,
    supported: bool,
    has_connector: bool,
    /// The preferred ratio first, then every ratio accepted; `None`: no images.
    image: Option<(AspectRatio, &'static [AspectRatio])>,
    /// The preferred ratio first, then every ratio accepted; `None`: no videos.
    video: Option<(AspectRatio, &'static [AspectRatio])>,
}

/// The defaults of most rows; each row below names what differs.
const BASE: Row = Row {
    platform: Platform::Instagram,
    display_name: "",
    caption_max: 500,
    caption_counts_bytes: false,
    caption_max_bytes: None,
    url_length: None,
    hashtag_max: 30,
    supported: true,
    has_connector: false,
    image: Some((R1x1, ALL_RATIOS)),
    video: Some((R9x16, ALL_RATIOS)),
};

/// `select * from public.platform_limits order by platform`, as the migrations leave it.
const ROWS: [Row; 10] = [
    Row {
        platform: Platform::Instagram,
        display_name: "Instagram",
        caption_max: 2200,
        hashtag_max: 5,
        image: Some((R4x5, &[R1x1, R4x5, R9x16, R16x9])),
        video: Some((R9x16, &[R9x16])),
        ..BASE
    },
    Row {
        platform: Platform::Tiktok,
        display_name: "TikTok",
        caption_max: 2200,
        image: Some((R9x16, &[R9x16])),
        video: Some((R9x16, &[R9x16])),
        ..BASE
    },
    Row {
        platform: Platform::X,
        display_name: "X",
        caption_max: 280,
        image: Some((R16x9, &[R1x1, R16x9])),
        video: Some((R16x9, ALL_RATIOS)),
        ..BASE
    },
    Row {
        platform: Platform::Linkedin,
        display_name: "LinkedIn",
        caption_max: 3000,
        image: Some((R1x1, &[R1x1, R16x9])),
        video: Some((R1x1, ALL_RATIOS)),
        ..BASE
    },
    Row {
        platform: Platform::Facebook,
        display_name: "Facebook",
        caption_max: 63206,
        video: Some((R9x16, &[R9x16])),
        ..BASE
    },
    Row {
        platform: Platform::Youtube,
        display_name: "YouTube",
        caption_max: 5000,
        hashtag_max: 15,
        image: None,
        video: Some((R9x16, &[R9x16])),
        ..BASE
    },
    Row { platform: Platform::Threads, display_name: "Threads", caption_counts_bytes: true, hashtag_max: 1, ..BASE },
    Row {
        platform: Platform::Pinterest,
        display_name: "Pinterest",
        image: Some((R2x3, ALL_RATIOS)),
        video: Some((R2x3, ALL_RATIOS)),
        ..BASE
    },
    Row {
        platform: Platform::Bluesky,
        display_name: "Bluesky",
        caption_max: 300,
        caption_max_bytes: Some(3000),
        has_connector: true,
        video: None,
        ..BASE
    },
    Row {
        platform: Platform::Mastodon,
        display_name: "Mastodon",
        url_length: Some(23),
        has_connector: true,
        video: Some((R16x9, ALL_RATIOS)),
        ..BASE
    },
];

impl Row {
    fn limits(&self) -> PlatformLimits {
        let preferred = |media: Option<(AspectRatio, &[AspectRatio])>| media.map(|(preferred, _)| preferred);
        let accepted = |media: Option<(AspectRatio, &[AspectRatio])>| media.map_or(Vec::new(), |(_, all)| all.to_vec());
        PlatformLimits {
            platform: self.platform,
            caption_max: self.caption_max,
            caption_counts_bytes: self.caption_counts_bytes,
            hashtag_max: self.hashtag_max,
            supports_image: self.image.is_some(),
            supports_video: self.video.is_some(),
            supported: self.supported,
            preferred_image_ratio: preferred(self.image),
            preferred_video_ratio: preferred(self.video),
            image_ratios: accepted(self.image),
            video_ratios: accepted(self.video),
            caption_max_bytes: self.caption_max_bytes,
            url_length: self.url_length,
            has_connector: self.has_connector,
            display_name: self.display_name.to_owned(),
        }
    }
}

/// The compiled rows, one per platform in [`Platform::ALL`] order.
pub fn cached_limits() -> Vec<PlatformLimits> {
    ROWS.iter().map(Row::limits).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_platform_in_the_enum_order() {
        let platforms: Vec<Platform> = cached_limits().iter().map(|l| l.platform).collect();
        assert_eq!(platforms, Platform::ALL.to_vec());
    }

    /// The rows keep the database's own checks: a preferred ratio is one the platform accepts.
    #[test]
    fn preferred_ratios_are_accepted_ones() {
        for row in cached_limits() {
            assert!(row.preferred_image_ratio.is_none_or(|r| row.image_ratios.contains(&r)), "{:?}", row.platform);
            assert!(row.preferred_video_ratio.is_none_or(|r| row.video_ratios.contains(&r)), "{:?}", row.platform);
        }
    }
}
