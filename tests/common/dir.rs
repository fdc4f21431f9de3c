//! A scratch folder for the tests that run the CLI as a process, removed when dropped. Included with
//! `#[path = "common/dir.rs"] mod dir;` by the test files that need only this.
#![allow(dead_code)]

use std::path::PathBuf;

pub struct Dir(pub PathBuf);

impl Dir {
    /// A fresh, empty folder, unique to this test process and `name`.
    pub fn new(name: &str) -> Dir {
        let dir = std::env::temp_dir().join(format!("borgerblik-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    /// Writes `contents` to `name` (folders made as needed); its path.
    pub fn file(&self, name: &str, contents: &(impl AsRef<[u8]> + ?Sized)) -> String {
        let p = self.0.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, contents.as_ref()).unwrap();
        p.to_string_lossy().into_owned()
    }

    pub fn path(&self) -> String {
        self.0.to_string_lossy().into_owned()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
