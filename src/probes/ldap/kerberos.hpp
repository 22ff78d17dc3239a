// SPDX-License-Identifier: Apache-2.0
// Kerberos credentials for the ldap probe's SASL GSSAPI bind (MIT krb5 via GSS-API).
#pragma once

#include <string>

#include "lisa/core/result.hpp"

namespace lisa::ldap_detail {

/**
 * A client credential for one directory's binds.
 * - From a keytab (`directory.kerberos.keytab` with `principal`): gss_acquire_cred_from() with the
 *   cred store {client_keytab, ccache = "MEMORY:lisa-<pid>-<n>"}, so every directory (and every
 *   probe call) gets its own in-memory credential cache: concurrent directories never race on
 *   KRB5CCNAME or on the caller's cache, and nothing is written to disk. The cache is destroyed
 *   with this object. libldap's SASL GSSAPI plugin asks for the *thread's* default credential,
 *   so a bind names this cache for its own thread only (gss_krb5_ccache_name, thread-specific in
 *   MIT krb5) and resets it afterwards (ScopedThreadCcache).
 * - Without a keytab: the caller's default credential cache (`kinit`, KRB5CCNAME), acquired once
 *   so a missing ticket is a clear error before any connection is opened.
 * The keytab is checked as every file lisa reads (regular file, size cap) before krb5 opens it.
 * Errors carry GSS-API's major/minor status text (e.g. "Client not found in Kerberos database",
 * "Cannot contact any KDC for realm"), never key material. KDC round trips are bounded by krb5's
 * own timeouts (krb5.conf `kdc_timeout`, default 1 s per KDC and try).
 */
class KerberosCredential {
public:
    KerberosCredential(KerberosCredential&& other) noexcept;
    KerberosCredential& operator=(KerberosCredential&&) = delete;
    KerberosCredential(const KerberosCredential&) = delete;
    KerberosCredential& operator=(const KerberosCredential&) = delete;
    ~KerberosCredential();

    /// keytab empty: the caller's credential cache; else principal must be given, and the
    /// tickets for ldap/<service_host> are fetched into the in-memory cache right away.
    [[nodiscard]] static Result<KerberosCredential> acquire(const std::string& keytab,
                                                            const std::string& principal,
                                                            const std::string& service_host);
    /// "MEMORY:lisa-…" for a keytab credential, "" for the caller's cache.
    [[nodiscard]] const std::string& ccache() const noexcept { return ccache_; }

private:
    KerberosCredential(void* cred, std::string ccache) noexcept
        : cred_(cred), ccache_(std::move(ccache)) {}
    void* cred_ = nullptr;
    std::string ccache_;
};

/// Names `ccache` as the calling thread's default credential cache while alive ("" = leave
/// the default alone); afterwards the thread follows the process default again.
class ScopedThreadCcache {
public:
    explicit ScopedThreadCcache(const std::string& ccache);
    ScopedThreadCcache(const ScopedThreadCcache&) = delete;
    ScopedThreadCcache& operator=(const ScopedThreadCcache&) = delete;
    ~ScopedThreadCcache();

private:
    bool active_ = false;
};

}  // namespace lisa::ldap_detail
