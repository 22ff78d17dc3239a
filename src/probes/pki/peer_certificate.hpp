// SPDX-License-Identifier: Apache-2.0
// Internal to the probes that fetch over verified HTTPS with libcurl (http, document): which
// certificate a failed verification was about, so the message says which one to replace
// (issue 15: a host-name mismatch must name the certificate). Header-only: its users link
// libcurl already, lisa_probe_pki does not.
#pragma once

#include <curl/curl.h>

#include <string>
#include <string_view>

namespace lisa::pki {

/// Asks libcurl to gather the peer's certificates (CURLOPT_CERTINFO; the OpenSSL backend does so
/// before it checks the host name, so a refused transfer has them too).
inline void gather_peer_certificate(CURL* curl) { curl_easy_setopt(curl, CURLOPT_CERTINFO, 1L); }

/**
 * The server's leaf as it names itself — "the server's certificate: CN = x, SAN DNS:x, DNS:y" —
 * from what gather_peer_certificate had libcurl keep; empty when there is none (no handshake).
 * At most 400 bytes of names (a certificate may carry thousands of SANs); nothing secret is in a
 * certificate, and every writer sanitises what a peer sent.
 */
inline std::string peer_certificate(CURL* curl) {
    curl_certinfo* info = nullptr;
    if (curl_easy_getinfo(curl, CURLINFO_CERTINFO, &info) != CURLE_OK || info == nullptr || info->num_of_certs < 1) {
        return {};
    }
    constexpr std::string_view kSubject = "Subject:";
    constexpr std::string_view kSan = "X509v3 Subject Alternative Name:";
    std::string subject;
    std::string san;
    for (const curl_slist* field = info->certinfo[0]; field != nullptr; field = field->next) {
        const std::string_view text = field->data != nullptr ? field->data : "";
        if (text.substr(0, kSubject.size()) == kSubject) {
            subject = text.substr(kSubject.size());
        } else if (text.substr(0, kSan.size()) == kSan) {
            san = text.substr(kSan.size());
        }
    }
    std::string names = (subject.empty() ? std::string("no subject") : subject) + (san.empty() ? ", no SAN" : ", SAN " + san);
    constexpr std::size_t kMaxNames = 400;
    if (names.size() > kMaxNames) {
        std::size_t cut = kMaxNames;
        while (cut > 0 && (static_cast<unsigned char>(names[cut]) & 0xC0U) == 0x80U) {
            --cut;  // never inside a UTF-8 sequence
        }
        names = names.substr(0, cut) + "…";
    }
    return "the server's certificate: " + names;
}

}  // namespace lisa::pki
