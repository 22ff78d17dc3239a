// SPDX-License-Identifier: Apache-2.0
// Revocation from the CRL (RFC 5280 §5) for a certificate that names no OCSP responder (issue 15):
// municipal PKIs (AD CS) often publish only CRLs over HTTP. One bounded libcurl GET per URL per
// scan (ScanMemo), the CRL checked against the certificate's issuer with OpenSSL.
#include <curl/curl.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "../pki/bounded_get.hpp"
#include "lisa/inventory/url.hpp"
#include "tls_detail.hpp"

namespace lisa::tls_detail {
namespace {

constexpr std::time_t kLeewaySeconds = 300;  // as OCSP_check_validity's leeway in check_ocsp

struct CurlDeleter {
    void operator()(CURL* curl) const noexcept { curl_easy_cleanup(curl); }
};

/// A CRL as fetched once per URL per scan: the parsed CRL, or why there is none. Shared by every
/// probe call of the scan: only read (X509_CRL_get0_by_cert sorts the entries under its own lock).
struct FetchedCrl {
    std::shared_ptr<X509_CRL> crl;
    std::string problem;
};

/// The URI full names of a certificate's CRL distribution points: the first http(s) one, and the
/// others in order (ldap://, …). A relative name (nameRelativeToCRLIssuer) names no URL.
struct DistributionPoints {
    std::string http;
    std::vector<std::string> others;
};

DistributionPoints distribution_points(X509* cert) {
    DistributionPoints out;
    auto* points = static_cast<CRL_DIST_POINTS*>(X509_get_ext_d2i(cert, NID_crl_distribution_points, nullptr, nullptr));
    for (int i = 0; points != nullptr && i < sk_DIST_POINT_num(points); ++i) {
        const DIST_POINT* point = sk_DIST_POINT_value(points, i);
        if (point->distpoint == nullptr || point->distpoint->type != 0) {
            continue;
        }
        GENERAL_NAMES* names = point->distpoint->name.fullname;
        for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
            const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, j);
            if (name->type != GEN_URI) {
                continue;
            }
            const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
            std::string text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                             static_cast<std::size_t>(ASN1_STRING_length(uri)));
            const std::string scheme = url::scheme_of(text);
            if (out.http.empty() && (scheme == "http" || scheme == "https")) {
                out.http = std::move(text);
            } else {
                out.others.push_back(std::move(text));
            }
        }
    }
    CRL_DIST_POINTS_free(points);
    ERR_clear_error();
    return out;
}

/// The body of a transfer, refused past kMaxCrlBytes (also when the server sent no length).
struct Body {
    std::string data;
    bool over = false;
};

std::size_t collect(char* bytes, std::size_t size, std::size_t count, void* user) {
    auto* body = static_cast<Body*>(user);
    const std::size_t n = size * count;
    if (body->data.size() + n > kMaxCrlBytes) {
        body->over = true;
        return 0;  // libcurl ends the transfer with CURLE_WRITE_ERROR
    }
    body->data.append(bytes, n);
    return n;
}

/// A CRL from its DER (as RFC 5280 §4.2.1.13 publishes it) or PEM; null when it is neither.
std::shared_ptr<X509_CRL> parse_crl(const std::string& data) {
    const auto* der = reinterpret_cast<const unsigned char*>(data.data());
    X509_CRL* crl = d2i_X509_CRL(nullptr, &der, static_cast<long>(data.size()));
    if (crl == nullptr) {
        const BioPtr bio{BIO_new_mem_buf(data.data(), static_cast<int>(data.size()))};
        crl = bio ? PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr) : nullptr;
    }
    ERR_clear_error();
    return crl != nullptr ? std::shared_ptr<X509_CRL>(crl, X509_CRL_free) : nullptr;
}

/// The transfer options of one anonymous, bounded GET without redirects into `body`.
void set_options(CURL* c, const std::string& url, long timeout_ms, char* detail, Body* body) {
    pki::set_bounded_get(c, url, "http,https", timeout_ms, "lisa", detail, {collect, body});
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(kMaxCrlBytes));
    // The CRL is signed by the certificate's issuer and that signature is what is checked; the
    // transport adds no trust (RFC 5280 §5), and an https distribution point served with an
    // internal CA's certificate must not make revocation uncheckable.
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
}

/// Why a finished transfer gave no CRL; empty when it did.
std::string transfer_problem(CURL* c, CURLcode code, const Body& body, const char* detail, long timeout_ms) {
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (body.over || code == CURLE_FILESIZE_EXCEEDED) {
        return "is larger than " + std::to_string(kMaxCrlBytes / (1024 * 1024)) + " MiB";
    }
    if (code == CURLE_OPERATION_TIMEDOUT) {
        return "did not arrive within " + std::to_string(timeout_ms) + " ms";
    }
    if (code == CURLE_COULDNT_CONNECT) {
        long os_errno = 0;
        curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &os_errno);
        if (os_errno == ECONNREFUSED) {
            return "could not be fetched: connection refused";
        }
    }
    if (code != CURLE_OK) {
        return std::string("could not be fetched: ") + (detail[0] != '\0' ? detail : curl_easy_strerror(code));
    }
    if (status != 200) {
        return "could not be fetched: HTTP status " + std::to_string(status);
    }
    return {};
}

/// One GET of the CRL at `url`, bounded by `timeout` and kMaxCrlBytes.
FetchedCrl fetch_crl(const std::string& url, std::chrono::milliseconds timeout) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    FetchedCrl out;
    const std::unique_ptr<CURL, CurlDeleter> curl{curl_easy_init()};
    if (!curl) {
        out.problem = "crl " + url + ": cannot initialise libcurl";
        return out;
    }
    char detail[CURL_ERROR_SIZE] = {};
    Body body;
    const long timeout_ms = std::max<long>(1, static_cast<long>(timeout.count()));
    set_options(curl.get(), url, timeout_ms, detail, &body);
    const CURLcode code = curl_easy_perform(curl.get());
    if (std::string problem = transfer_problem(curl.get(), code, body, detail, timeout_ms); !problem.empty()) {
        out.problem = "crl " + url + " " + problem;
        return out;
    }
    out.crl = parse_crl(body.data);
    if (!out.crl) {
        out.problem = "crl " + url + " sent no CRL (neither DER nor PEM)";
    }
    return out;
}

/// Why this CRL cannot speak for the certificates `issuer` issued — another issuer's name, not
/// signed by its key, a delta CRL, or one covering only some certificates or reasons — or empty.
std::string signer_problem(X509_CRL* crl, X509* issuer) {
    const std::string issuer_name = name_to_string(X509_get_subject_name(issuer));
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(issuer)) != 0) {
        return "is issued by " + name_to_string(X509_CRL_get_issuer(crl)) + ", not by the certificate's issuer " +
               issuer_name;
    }
    EVP_PKEY* key = X509_get0_pubkey(issuer);
    const bool signed_by_issuer = key != nullptr && X509_CRL_verify(crl, key) == 1;
    ERR_clear_error();
    if (!signed_by_issuer) {
        return "is not signed by the certificate's issuer " + issuer_name + " (its signature does not verify with "
               "that certificate's key)";
    }
    if (X509_CRL_get_ext_by_NID(crl, NID_delta_crl, -1) >= 0) {
        return "is a delta CRL (a base CRL is needed)";
    }
    auto* scope = static_cast<ISSUING_DIST_POINT*>(X509_CRL_get_ext_d2i(crl, NID_issuing_distribution_point, nullptr, nullptr));
    const bool partial = scope != nullptr && (scope->onlyCA > 0 || scope->onlyattr > 0 || scope->onlysomereasons != nullptr ||
                                              scope->indirectCRL > 0);
    ISSUING_DIST_POINT_free(scope);
    ERR_clear_error();
    return partial ? "covers only some certificates or reasons (issuing distribution point)" : "";
}

/// An ASN1_TIME as ISO 8601 ("2026-12-01 23:59:59Z").
std::string iso_time(const ASN1_TIME* time) {
    const BioPtr bio{BIO_new(BIO_s_mem())};
    if (!bio || ASN1_TIME_print_ex(bio.get(), time, ASN1_DTFLGS_ISO8601) != 1) {
        ERR_clear_error();
        return "?";
    }
    char* text = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &text);
    return std::string(text, static_cast<std::size_t>(std::max(0L, size)));
}

/// Why the CRL is not current now (5 minutes' leeway either way), or empty.
std::string time_problem(const X509_CRL* crl) {
    const std::time_t now = std::time(nullptr);
    std::time_t ahead = now + kLeewaySeconds;
    std::time_t behind = now - kLeewaySeconds;
    const ASN1_TIME* this_update = X509_CRL_get0_lastUpdate(crl);
    const ASN1_TIME* next_update = X509_CRL_get0_nextUpdate(crl);
    std::string problem;
    if (this_update == nullptr || X509_cmp_time(this_update, &ahead) != -1) {
        problem = "is not valid yet (thisUpdate " + (this_update ? iso_time(this_update) : "?") + ")";
    } else if (next_update == nullptr) {
        problem = "names no nextUpdate, so whether it is current cannot be told";
    } else if (X509_cmp_time(next_update, &behind) != 1) {
        problem = "is stale: its nextUpdate " + iso_time(next_update) + " has passed";
    }
    ERR_clear_error();
    return problem;
}

/// The problem for a certificate naming no http(s) CRL distribution point.
std::string no_http_point(const DistributionPoints& points) {
    if (points.others.empty()) {
        return "the certificate names neither an OCSP responder (Authority Information Access) nor a CRL "
               "distribution point, so its revocation could not be checked";
    }
    const std::string scheme = url::scheme_of(points.others.front());
    return "the certificate names no OCSP responder, and its CRL distribution point " + points.others.front() +
           " uses the URL scheme " + (scheme.empty() ? std::string("(none: not a URL)") : scheme) +
           ", which lisa does not fetch (http and https only), so its revocation could not be checked";
}

}  // namespace

RevocationCheck check_crl(X509* leaf, STACK_OF(X509) * sent, const std::string& ca_file,
                          std::chrono::milliseconds timeout, ScanMemo& memo) {
    RevocationCheck out;
    out.source = "crl";
    const DistributionPoints points = leaf != nullptr ? distribution_points(leaf) : DistributionPoints{};
    if (points.http.empty()) {
        out.problem = leaf != nullptr ? no_http_point(points) : "no certificate";
        return out;
    }
    auto certs = ca_certs_of(ca_file);
    if (!certs) {
        out.problem = certs.error().message;
        return out;
    }
    const X509StackPtr ca_certs = std::move(certs).value();
    X509* issuer = find_issuer(leaf, sent, ca_certs.get());
    if (issuer == nullptr) {
        out.problem = "crl: the certificate's issuer is neither sent by the server nor in ca_file";
        return out;
    }
    const std::string& url = points.http;
    const auto fetched = memo.once<FetchedCrl>("tls.crl " + url, [&] { return fetch_crl(url, timeout); });
    if (!fetched->crl) {
        out.problem = fetched->problem;
        return out;
    }
    X509_CRL* crl = fetched->crl.get();
    const auto signer = memo.once<std::string>("tls.crl.signer " + url + " " + sha256_fingerprint(issuer),
                                               [&] { return signer_problem(crl, issuer); });
    std::string problem = !signer->empty() ? *signer : time_problem(crl);
    if (!problem.empty()) {
        out.problem = "crl " + url + " " + problem;
        return out;
    }
    X509_REVOKED* entry = nullptr;
    // 1: listed; 2: listed as removeFromCRL (a delta's un-hold), which is not revoked.
    out.status = X509_CRL_get0_by_cert(crl, &entry, leaf) == 1 ? "revoked" : "good";
    ERR_clear_error();
    return out;
}

RevocationCheck check_revocation(X509* leaf, STACK_OF(X509) * sent, const std::string& ca_file,
                                 std::chrono::milliseconds timeout, ScanMemo& memo) {
    OcspCheck ocsp = check_ocsp(leaf, sent, ca_file, timeout);
    if (ocsp.status == "no_responder") {
        return check_crl(leaf, sent, ca_file, timeout, memo);
    }
    return RevocationCheck{std::move(ocsp.status), std::move(ocsp.problem), "ocsp"};
}

}  // namespace lisa::tls_detail
