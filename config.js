// Runtime config for Atelier, loaded before the app. Replace these two values to point one
// build at another Supabase project. The defaults are the local stack and the Supabase CLI's
// well-known local anon key (public by design, only valid against a local stack).
window.ATELIER_CONFIG = {
  supabaseUrl: "http://127.0.0.1:54321",
  supabaseAnonKey:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0",
};
