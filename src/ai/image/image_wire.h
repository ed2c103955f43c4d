#pragma once
// Wire details the image providers share (IMAGE-APIS.md): the error bodies of Pollinations,
// Hugging Face, Cloudflare and self-hosted workers mapped to ApiError, OpenAI's image refusals,
// percent-encoding for prompts in URLs, and the JSON error text of any of them.
// Pure functions; thread-safe.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "ai/http/keyed_http.h"

namespace sakai::ai::image {

// RFC 3986 percent-encoding of UTF-8 bytes: everything but unreserved characters
// (A-Z a-z 0-9 - . _ ~) is escaped, '/' '?' '#' '%' and spaces included, so a whole prompt fits
// in one path segment or one query value.
std::string percent_encode(std::string_view text);

// The service's words in a JSON error body, whatever its shape: {"error":{"message"}},
// {"error":"..."}, {"message"}, {"detail"}, {"errors":[{"message"}]} (Cloudflare); "" if none.
std::string json_error_text(const nlohmann::json& body);

// Provider code of Hugging Face's 503 while a model cold-starts; retry_after is its
// estimated_time.
inline constexpr std::string_view kModelLoadingCode = "model_loading";
// Provider code of an image URL that could not be fetched any more (404, 403, 410).
inline constexpr std::string_view kUrlExpiredCode = "image_url_expired";

// Errors of the image services without a mapper of their own: the kind from the status (and
// from Pollinations' / Cloudflare's code), the message from the JSON body or an HTML page's
// title, Hugging Face's "currently loading" 503 with estimated_time as kModelLoadingCode and a
// retry hint, and the Retry-After header.
WireErrorMapper image_error_mapper(std::string provider);

// OpenAI's error object, with content-policy refusals (code content_policy_violation,
// moderation_blocked, or a message about the safety system) as kSafetyBlocked.
WireErrorMapper openai_image_error_mapper(std::string provider);

// For fetching a returned image URL (no key is ever sent there): 403, 404 and 410 are an
// expired or removed image (kUnavailable, kUrlExpiredCode), never a key problem.
WireErrorMapper image_url_error_mapper(std::string provider);

}  // namespace sakai::ai::image
