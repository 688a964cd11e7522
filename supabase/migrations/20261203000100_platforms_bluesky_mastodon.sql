-- Bluesky and Mastodon join the platforms. Only the enum values live here: a value added by
-- `alter type ... add value` cannot be used in the transaction that adds it, and each migration
-- runs in one, so their platform_limits rows come in the next migration.

alter type public.platform add value if not exists 'bluesky';
alter type public.platform add value if not exists 'mastodon';
