// SPDX-License-Identifier: Apache-2.0
// A probe's ca_file (the municipality's own CA certificates, PEM), read and parsed once per
// process: a county scan verifies thousands of chains against the same file (issue 15), and the
// tls and http probes share what they read.
//
// Read through the bounded reader (io::read_regular_file, at most io::kMaxCaFileBytes): opened
// without blocking and judged on the descriptor, so a FIFO or a device is refused, never waited
// on, and neither OpenSSL nor libcurl opens the path itself. A file is known by its path and what
// stat(2) says of it (device, inode, size, modification time in ns): a file replaced or edited
// between two reads is read again. A path stat cannot describe as a regular file is read every
// time, so the reader reports it. At most 64 files are kept; the next is read after the cache is
// emptied (files in use stay alive with their holders).
#pragma once

#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>

namespace lisa::pki {

/// One ca_file as read. Never changed once made; shared between threads.
struct CaFile {
    std::string pem;    ///< the file's bytes, when it could be read
    std::string error;  ///< why it could not be read (the bounded reader's words), otherwise ""
    /// Its PEM CERTIFICATE blocks in file order, up to the first that does not parse
    /// (parse_certificates). Never null; empty when the file holds none.
    STACK_OF(X509)* certificates = nullptr;
    /// Its certificates and CRLs in one store, as libcurl adds a CA blob's (parse_store); null
    /// when the file holds neither.
    X509_STORE* store = nullptr;

    CaFile() = default;
    CaFile(const CaFile&) = delete;
    CaFile& operator=(const CaFile&) = delete;
    ~CaFile();
};

/// The ca_file at `path` (see the top of this file). Never null; `error` says when it could not
/// be read. Thread-safe.
[[nodiscard]] std::shared_ptr<const CaFile> ca_file(const std::string& path);

/// Every PEM CERTIFICATE block of `pem`, in order, up to the first that does not parse; never
/// null unless out of memory. OpenSSL's error queue is left empty.
[[nodiscard]] STACK_OF(X509) * parse_certificates(std::string_view pem);

/// The certificates and CRLs of `pem` in a new store, as libcurl adds a CA blob's
/// (load_cacert_from_memory), with the flags libcurl sets on a verifying store (trusted first,
/// partial chains); null when `pem` holds neither. The caller owns it.
[[nodiscard]] X509_STORE* parse_store(std::string_view pem);

}  // namespace lisa::pki
