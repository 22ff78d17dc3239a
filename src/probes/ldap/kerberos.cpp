// SPDX-License-Identifier: Apache-2.0
#include "kerberos.hpp"

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5/krb5.h>
#include <unistd.h>

#include <atomic>
#include <utility>

#include "bounded_file.hpp"

namespace lisa::ldap_detail {
namespace {

constexpr std::size_t kMaxKeytabBytes = 1024 * 1024;

/// GSS-API's text for one status code of one kind.
std::string status_text(OM_uint32 code, int type) {
    std::string out;
    OM_uint32 context = 0;
    do {
        OM_uint32 minor = 0;
        gss_buffer_desc text{};
        if (gss_display_status(&minor, code, type, GSS_C_NO_OID, &context, &text) != GSS_S_COMPLETE) {
            break;
        }
        if (!out.empty()) {
            out += "; ";
        }
        out.append(static_cast<const char*>(text.value), text.length);
        gss_release_buffer(&minor, &text);
    } while (context != 0);
    return out;
}

std::string gss_error(OM_uint32 major, OM_uint32 minor) {
    std::string text = status_text(major, GSS_C_GSS_CODE);
    const std::string detail = status_text(minor, GSS_C_MECH_CODE);
    if (!detail.empty() && minor != 0) {
        text += " (" + detail + ")";
    }
    return text;
}

void destroy_ccache(const std::string& name) {
    if (name.empty()) {
        return;
    }
    krb5_context context = nullptr;
    if (krb5_init_context(&context) != 0) {
        return;
    }
    krb5_ccache cache = nullptr;
    if (krb5_cc_resolve(context, name.c_str(), &cache) == 0) {
        krb5_cc_destroy(context, cache);
    }
    krb5_free_context(context);
}

}  // namespace

KerberosCredential::KerberosCredential(KerberosCredential&& other) noexcept
    : cred_(std::exchange(other.cred_, nullptr)), ccache_(std::exchange(other.ccache_, {})) {}

KerberosCredential::~KerberosCredential() {
    if (cred_ != nullptr) {
        OM_uint32 minor = 0;
        gss_cred_id_t cred = static_cast<gss_cred_id_t>(cred_);
        gss_release_cred(&minor, &cred);
    }
    destroy_ccache(ccache_);
}

Result<KerberosCredential> KerberosCredential::acquire(const std::string& keytab,
                                                        const std::string& principal,
                                                        const std::string& service_host) {
    OM_uint32 minor = 0;
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    gss_OID_set_desc krb5_mechs{1, const_cast<gss_OID>(gss_mech_krb5)};
    if (keytab.empty()) {
        const OM_uint32 major = gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE,
                                                 &krb5_mechs, GSS_C_INITIATE, &cred, nullptr,
                                                 nullptr);
        if (GSS_ERROR(major)) {
            return Error{"kerberos: no usable ticket in the caller's credential cache (run kinit, "
                         "or name a keytab in directory.kerberos): " +
                         gss_error(major, minor)};
        }
        return Result<KerberosCredential>{KerberosCredential(cred, {})};
    }
    if (principal.empty()) {
        return Error{"kerberos: a keytab needs directory.kerberos.principal"};
    }
    // Judged on the descriptor first: a FIFO or device is refused, never waited on by krb5.
    if (auto checked = io::read_regular_file(keytab, kMaxKeytabBytes); !checked) {
        return Error{"kerberos keytab (directory.kerberos.keytab): " + checked.error().message};
    }
    static std::atomic<unsigned> counter{0};
    std::string ccache = "MEMORY:lisa-" + std::to_string(getpid()) + "-" +
                         std::to_string(counter.fetch_add(1));
    gss_buffer_desc name_buffer{principal.size(), const_cast<char*>(principal.data())};
    gss_name_t name = GSS_C_NO_NAME;
    OM_uint32 major = gss_import_name(&minor, &name_buffer, GSS_KRB5_NT_PRINCIPAL_NAME, &name);
    if (GSS_ERROR(major)) {
        return Error{"kerberos principal '" + principal + "': " + gss_error(major, minor)};
    }
    const std::string keytab_spec = "FILE:" + keytab;
    gss_key_value_element_desc elements[] = {{"client_keytab", keytab_spec.c_str()},
                                             {"ccache", ccache.c_str()}};
    gss_key_value_set_desc store{2, elements};
    major = gss_acquire_cred_from(&minor, name, GSS_C_INDEFINITE, &krb5_mechs, GSS_C_INITIATE,
                                  &store, &cred, nullptr, nullptr);
    OM_uint32 ignored = 0;
    gss_release_name(&ignored, &name);
    if (GSS_ERROR(major)) {
        destroy_ccache(ccache);
        return Error{"kerberos: no credential for '" + principal + "' from keytab " + keytab +
                     ": " + gss_error(major, minor)};
    }
    KerberosCredential credential(cred, std::move(ccache));
    // The keytab credential gets its tickets lazily, at the first security context. Make that
    // context now, for the directory's service (ldap@host, no canonicalisation): the TGT and the
    // service ticket land in the in-memory cache, where the SASL GSSAPI plugin (which asks for
    // the thread's default credential) finds them, and an unknown principal, a wrong key or a
    // missing SPN is reported here, by name, before any LDAP connection is opened.
    const std::string service = "ldap@" + service_host;
    gss_buffer_desc service_buffer{service.size(), const_cast<char*>(service.data())};
    gss_name_t target = GSS_C_NO_NAME;
    major = gss_import_name(&minor, &service_buffer, GSS_C_NT_HOSTBASED_SERVICE, &target);
    if (GSS_ERROR(major)) {
        return Error{"kerberos service '" + service + "': " + gss_error(major, minor)};
    }
    gss_ctx_id_t context = GSS_C_NO_CONTEXT;
    gss_buffer_desc token{};
    major = gss_init_sec_context(&minor, cred, &context, target, const_cast<gss_OID>(gss_mech_krb5),
                                 GSS_C_MUTUAL_FLAG, GSS_C_INDEFINITE, GSS_C_NO_CHANNEL_BINDINGS,
                                 GSS_C_NO_BUFFER, nullptr, &token, nullptr, nullptr);
    gss_release_buffer(&ignored, &token);
    gss_delete_sec_context(&ignored, &context, GSS_C_NO_BUFFER);
    gss_release_name(&ignored, &target);
    if (GSS_ERROR(major)) {
        return Error{"kerberos: '" + principal + "' (keytab " + keytab + ") got no ticket for " +
                     "ldap/" + service_host + ": " + gss_error(major, minor)};
    }
    return Result<KerberosCredential>{std::move(credential)};
}

ScopedThreadCcache::ScopedThreadCcache(const std::string& ccache) {
    OM_uint32 minor = 0;
    active_ = !ccache.empty() &&
              gss_krb5_ccache_name(&minor, ccache.c_str(), nullptr) == GSS_S_COMPLETE;
}

ScopedThreadCcache::~ScopedThreadCcache() {
    if (active_) {
        // NULL: the thread follows the process default again (KRB5CCNAME, krb5.conf). The
        // "previous name" MIT hands back is the default resolved at that moment, so restoring it
        // would pin a stale KRB5CCNAME onto this thread; lisa sets no other override.
        OM_uint32 minor = 0;
        gss_krb5_ccache_name(&minor, nullptr, nullptr);
    }
}

}  // namespace lisa::ldap_detail
