#include "telegram/tdjson/scripted_tdjson.h"

#include <chrono>
#include <utility>

namespace sakai::telegram::tdjson {

using nlohmann::json;

namespace {

bool is_update(const json& object) {
  if (!object.is_object()) return false;
  const auto it = object.find("@type");
  return it != object.end() && it->is_string() && it->get<std::string>().rfind("update", 0) == 0;
}

std::string type_of(const json& object) {
  if (!object.is_object()) return {};
  const auto it = object.find("@type");
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

ScriptedTdJson::ScriptedTdJson() {
  rules_["close"] = [](const json&) -> std::vector<json> {
    return {ok(), authorization_state("authorizationStateClosing"),
            authorization_state("authorizationStateClosed")};
  };
}

json ScriptedTdJson::ok() {
  return json{{"@type", "ok"}};
}

json ScriptedTdJson::error(int code, std::string message) {
  return json{{"@type", "error"}, {"code", code}, {"message", std::move(message)}};
}

json ScriptedTdJson::authorization_state(std::string_view state) {
  return json{{"@type", "updateAuthorizationState"},
              {"authorization_state", json{{"@type", std::string(state)}}}};
}

json ScriptedTdJson::option_string(std::string_view value) {
  return json{{"@type", "optionValueString"}, {"value", std::string(value)}};
}

int ScriptedTdJson::create_client_id() {
  std::lock_guard lock(mu_);
  return ++last_client_id_;
}

void ScriptedTdJson::deliver_locked(json object, int client_id) {
  if (object.is_object()) object["@client_id"] = client_id;
  queue_.push_back(object.dump());
}

void ScriptedTdJson::send(int client_id, std::string_view request) {
  json parsed = json::parse(request, nullptr, false);
  Rule rule;
  {
    std::lock_guard lock(mu_);
    requests_.emplace_back(request);
    if (parsed.is_discarded()) return;
    if (auto it = rules_.find(type_of(parsed)); it != rules_.end()) rule = it->second;
  }
  if (!rule) return;  // no network: no answer
  std::vector<json> out = rule(parsed);
  if (out.empty()) return;
  {
    std::lock_guard lock(mu_);
    bool first = true;
    for (auto& object : out) {
      if (first && !is_update(object) && object.is_object() && parsed.contains("@extra")) {
        object["@extra"] = parsed["@extra"];
      }
      first = false;
      deliver_locked(std::move(object), client_id);
    }
  }
  cv_.notify_all();
}

std::optional<std::string> ScriptedTdJson::receive(double timeout_seconds) {
  std::unique_lock lock(mu_);
  const auto timeout = std::chrono::duration<double>(timeout_seconds);
  if (!cv_.wait_for(lock, timeout, [this] { return !queue_.empty(); })) return std::nullopt;
  std::string object = std::move(queue_.front());
  queue_.pop_front();
  return object;
}

std::string ScriptedTdJson::execute(std::string_view request) {
  const json parsed = json::parse(request, nullptr, false);
  const std::string type = type_of(parsed);
  json answer;
  if (type == "getOption" && parsed.value("name", "") == "version") {
    answer = option_string("1.8.65");
  } else if (type == "setLogVerbosityLevel" || type == "setLogStream" || type == "addLogMessage") {
    answer = ok();
  } else {
    answer = error(400, "The method can't be executed synchronously");
  }
  if (parsed.is_object() && parsed.contains("@extra")) answer["@extra"] = parsed["@extra"];
  std::lock_guard lock(mu_);
  executed_.emplace_back(request);
  return answer.dump();
}

void ScriptedTdJson::set_log_callback(int max_verbosity,
                                      std::function<void(int, std::string_view)> callback) {
  std::lock_guard lock(mu_);
  log_callback_ = std::move(callback);
  log_max_verbosity_ = max_verbosity;
}

void ScriptedTdJson::on(std::string type, Rule rule) {
  std::lock_guard lock(mu_);
  rules_[std::move(type)] = std::move(rule);
}

void ScriptedTdJson::push_update(json object) {
  {
    std::lock_guard lock(mu_);
    deliver_locked(std::move(object), last_client_id_ == 0 ? 1 : last_client_id_);
  }
  cv_.notify_all();
}

void ScriptedTdJson::respond(const json& request, json response) {
  if (request.is_object() && request.contains("@extra")) response["@extra"] = request["@extra"];
  push_update(std::move(response));
}

std::vector<std::string> ScriptedTdJson::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::vector<json> ScriptedTdJson::requests_of_type(std::string_view type) const {
  std::vector<json> out;
  std::lock_guard lock(mu_);
  for (const auto& text : requests_) {
    json parsed = json::parse(text, nullptr, false);
    if (type_of(parsed) == type) out.push_back(std::move(parsed));
  }
  return out;
}

std::optional<json> ScriptedTdJson::last_request(std::string_view type) const {
  auto all = requests_of_type(type);
  if (all.empty()) return std::nullopt;
  return std::move(all.back());
}

std::size_t ScriptedTdJson::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

std::vector<std::string> ScriptedTdJson::executed() const {
  std::lock_guard lock(mu_);
  return executed_;
}

bool ScriptedTdJson::has_log_callback() const {
  std::lock_guard lock(mu_);
  return static_cast<bool>(log_callback_);
}

int ScriptedTdJson::log_max_verbosity() const {
  std::lock_guard lock(mu_);
  return log_max_verbosity_;
}

void ScriptedTdJson::emit_log(int verbosity, std::string_view text) {
  std::function<void(int, std::string_view)> callback;
  {
    std::lock_guard lock(mu_);
    if (!log_callback_ || verbosity > log_max_verbosity_) return;
    callback = log_callback_;
  }
  // TDLib's own line shape: "[ 1][t 0][<unix time>][<file>:<line>][&<tag>]\t<text>".
  const std::string line = "[ " + std::to_string(verbosity) +
                           "][t 0][1700000000.000000000][Scripted.cpp:1][&client]\t" +
                           std::string(text);
  callback(verbosity, line);
}

}  // namespace sakai::telegram::tdjson
