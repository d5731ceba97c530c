//! Protection of personal ID numbers at rest: AES-256-GCM encryption (a fresh nonce per value)
//! and an HMAC-SHA256 blind index for exact lookup and uniqueness. Both keys come from one key
//! file, generated on first start for the embedded default; every process of an installation must
//! share it, and losing it makes the stored numbers unreadable.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::path::Path;

/// The two keys.
#[derive(Clone)]
pub struct PiiKeys {
    cipher: Aes256Gcm,
    /// The HMAC already keyed: cloning it skips the key schedule on every value (bulk imports
    /// index a hundred thousand numbers at a time).
    index_mac: Hmac<Sha256>,
}

impl std::fmt::Debug for PiiKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PiiKeys(..)")
    }
}

impl PiiKeys {
    /// Builds the keys from 64 secret bytes: the first 32 encrypt, the last 32 index.
    pub fn from_secret(secret: &[u8]) -> anyhow::Result<Self> {
        anyhow::ensure!(secret.len() >= 64, "the personal-data key must be 64 bytes");
        let key = Key::<Aes256Gcm>::from_slice(&secret[..32]);
        let index_mac = <Hmac<Sha256> as Mac>::new_from_slice(&secret[32..64])
            .map_err(|_| anyhow::anyhow!("the index key is unusable"))?;
        Ok(PiiKeys {
            cipher: Aes256Gcm::new(key),
            index_mac,
        })
    }

    /// Reads the key file, creating it when missing.
    pub fn load_or_create(path: &Path) -> anyhow::Result<Self> {
        let secret = read_or_create_secret(path)
            .with_context(|| format!("personal-data key {}", path.display()))?;
        Self::from_secret(&secret)
    }

    /// Encrypts `plain`; the result is base64 of nonce and ciphertext.
    pub fn encrypt(&self, plain: &str) -> anyhow::Result<String> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(&nonce, plain.as_bytes())
            .map_err(|_| anyhow::anyhow!("encryption failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(STANDARD.encode(out))
    }

    /// Decrypts what [`PiiKeys::encrypt`] produced.
    pub fn decrypt(&self, stored: &str) -> anyhow::Result<String> {
        let bytes = STANDARD
            .decode(stored)
            .context("stored value is not base64")?;
        anyhow::ensure!(bytes.len() > 12, "stored value too short");
        let (nonce, sealed) = bytes.split_at(12);
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), sealed)
            .map_err(|_| anyhow::anyhow!("decryption failed: wrong key or damaged value"))?;
        String::from_utf8(plain).context("decrypted value is not UTF-8")
    }

    /// The blind index of a value: equal values give equal indexes; without the key the index
    /// reveals nothing.
    pub fn blind_index(&self, value: &str) -> String {
        let mut mac = self.index_mac.clone();
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// Reads a hex-encoded secret from `path`, or creates the file with a fresh 64-byte secret.
pub fn read_or_create_secret(path: &Path) -> anyhow::Result<Vec<u8>> {
    if path.exists() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the key file {}", path.display()))?;
        return hex::decode(text.trim())
            .with_context(|| format!("the key file {} is not hex", path.display()));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut secret = vec![0u8; 64];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    write_private(path, &hex::encode(&secret))?;
    Ok(secret)
}

fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(mut file) => file
            .write_all(text.as_bytes())
            .with_context(|| format!("writing {}", path.display())),
        // Another process created it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e).with_context(|| format!("creating {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_never_appear_in_clear() {
        let keys = PiiKeys::from_secret(&[7u8; 64]).expect("keys");
        let a = keys.encrypt("001085012345").expect("encrypt");
        let b = keys.encrypt("001085012345").expect("encrypt");
        assert_ne!(a, b, "a fresh nonce per value");
        assert!(!a.contains("001085012345"));
        assert_eq!(keys.decrypt(&a).expect("decrypt"), "001085012345");
        assert_eq!(
            keys.blind_index("001085012345"),
            keys.blind_index("001085012345")
        );
        assert_ne!(
            keys.blind_index("001085012345"),
            keys.blind_index("001085012346")
        );
        let other = PiiKeys::from_secret(&[8u8; 64]).expect("keys");
        assert!(other.decrypt(&a).is_err());
        assert_ne!(
            other.blind_index("001085012345"),
            keys.blind_index("001085012345")
        );
    }
}
