//! Ctrl-C while an output file is being written removes its `.partial`.
//!
//! [`super::write_atomically`] writes a regular file to `<name>.partial`
//! and renames it into place. A `SIGINT` (Ctrl-C) or `SIGTERM` during a long
//! `--per-trial` run used to leave the truncated `.partial` behind; the
//! handler here unlinks it (`unlink` is async-signal-safe) and then ends the
//! process with the signal's default action, so the exit status still says
//! "interrupted".
#![allow(dead_code)]

use std::ffi::{CString, c_char};
use std::path::Path;
use std::sync::Once;
use std::sync::atomic::{AtomicPtr, Ordering};

/// The `.partial` being written, as a C string leaked while registered.
static PARTIAL: AtomicPtr<c_char> = AtomicPtr::new(std::ptr::null_mut());

/// Removes the registered path from the handler when dropped.
#[must_use]
pub struct Registration(());

impl Drop for Registration {
    fn drop(&mut self) {
        let old = PARTIAL.swap(std::ptr::null_mut(), Ordering::SeqCst);
        if !old.is_null() {
            // SAFETY: `old` came from `CString::into_raw` in `remove_on_interrupt`
            // and the handler no longer sees it (swapped out above).
            drop(unsafe { CString::from_raw(old) });
        }
    }
}

/// Until the returned registration is dropped, Ctrl-C (or `SIGTERM`)
/// removes `path` before the process ends. One path at a time: a new
/// registration replaces the previous one.
pub fn remove_on_interrupt(path: &Path) -> Registration {
    install();
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().into_owned().into_bytes();
    if let Ok(c_path) = CString::new(bytes) {
        let old = PARTIAL.swap(c_path.into_raw(), Ordering::SeqCst);
        if !old.is_null() {
            // SAFETY: as in `Drop`.
            drop(unsafe { CString::from_raw(old) });
        }
    }
    Registration(())
}

/// Unlinks the registered path, if any: what the handler does first.
pub fn remove_registered() {
    let path = PARTIAL.load(Ordering::SeqCst);
    if !path.is_null() {
        // SAFETY: a valid NUL-terminated string while registered; `unlink` is
        // async-signal-safe.
        unsafe {
            libc::unlink(path);
        }
    }
}

#[cfg(unix)]
extern "C" fn on_signal(signal: libc::c_int) {
    remove_registered();
    // SAFETY: restoring the default action and re-raising are
    // async-signal-safe; the process then ends as the signal says.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}

fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        #[cfg(unix)]
        // SAFETY: `on_signal` only calls async-signal-safe functions.
        unsafe {
            let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            libc::signal(libc::SIGINT, handler);
            libc::signal(libc::SIGTERM, handler);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registered_partial_is_what_an_interrupt_removes() {
        let path = std::env::temp_dir().join(format!("lead-decay-interrupt-{}.partial", std::process::id()));
        std::fs::write(&path, "half a file").unwrap();
        let registration = remove_on_interrupt(&path);
        remove_registered();
        assert!(!path.exists());
        drop(registration);
        std::fs::write(&path, "kept").unwrap();
        remove_registered(); // nothing registered any more
        assert!(path.exists());
        std::fs::remove_file(&path).unwrap();
    }
}
