// SPDX-License-Identifier: Apache-2.0
// Internal to the probes that GET over libcurl (http, document, the tls probe's CRL download):
// the transfer options they all set, in one place, so a bound or a refused redirect cannot be
// set in one probe and forgotten in another. Header-only, as peer_certificate.hpp: its users
// link libcurl already.
#pragma once

#include <curl/curl.h>

#include <string>

namespace lisa::pki {

/// Where libcurl writes the body: a CURLOPT_WRITEFUNCTION and its CURLOPT_WRITEDATA.
struct BodySink {
    curl_write_callback write;
    void* data;
};

/**
 * One anonymous GET of `url`, bounded: only `protocols` (libcurl's CURLOPT_PROTOCOLS_STR list,
 * e.g. "http,https"), no redirect followed (each probe judges a Location itself), no signals
 * (the probes run on threads), the connection and the whole transfer within `timeout_ms`,
 * libcurl's own words on a failure into `detail` (CURL_ERROR_SIZE bytes), the body into `sink`.
 * Size caps and certificate checking stay with each probe: they differ.
 */
inline void set_bounded_get(CURL* c, const std::string& url, const char* protocols, long timeout_ms,
                            const char* user_agent, char* detail, const BodySink& sink) {
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protocols);
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_USERAGENT, user_agent);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink.write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, sink.data);
}

}  // namespace lisa::pki
