//! A panic hook for the fuzz targets: a panic raised inside a dependency
//! (calamine, zip, quick-xml) is contained as statbrief contains it, so the
//! fuzzer goes on; a panic raised in statbrief's own source aborts, which
//! libFuzzer records as a crash with its input.

pub fn contain_library_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let file = info.location().map(|l| l.file().to_string()).unwrap_or_default();
            let ours = !file.contains(".cargo/registry") && !file.contains("/rustc/") && !file.contains("/library/");
            if ours {
                eprintln!("panic in statbrief: {info}");
                std::process::abort();
            }
        }));
    });
}
