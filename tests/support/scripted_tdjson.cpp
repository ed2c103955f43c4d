#include "support/scripted_tdjson.h"

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

std::string ScriptedTdJson::serialize(json object, int client_id) {
  if (!object.is_object()) return object.dump();
  std::optional<json> extra;
  if (auto it = object.find("@extra"); it != object.end()) {
    extra = std::move(*it);
    object.erase(it);
  }
  object.erase("@client_id");
  std::string text = object.dump();
  text.pop_back();  // the closing brace
  const char* sep = text.size() > 1 ? "," : "";
  if (extra) {
    text += sep;
    text += "\"@extra\":" + extra->dump();
    sep = ",";
  }
  text += sep;
  text += "\"@client_id\":" + std::to_string(client_id) + "}";
  return text;
}

int ScriptedTdJson::create_client_id() {
  std::lock_guard lock(mu_);
  return ++last_client_id_;
}

void ScriptedTdJson::deliver_locked(json object, int client_id) {
  queue_.push_back(serialize(std::move(object), client_id));
}

ScriptedTdJson::Rule ScriptedTdJson::rule_for(int client_id, const std::string& type) const {
  if (auto c = client_rules_.find(client_id); c != client_rules_.end()) {
    if (auto it = c->second.find(type); it != c->second.end()) return it->second;
  }
  if (auto it = rules_.find(type); it != rules_.end()) return it->second;
  return {};
}

void ScriptedTdJson::send(int client_id, std::string_view request) {
  json parsed = json::parse(request, nullptr, false);
  Rule rule;
  {
    std::lock_guard lock(mu_);
    requests_.push_back({client_id, std::string(request)});
    if (parsed.is_discarded()) return;
    rule = rule_for(client_id, type_of(parsed));
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
  ++(callback ? log_sets_ : log_clears_);
  log_callback_ = std::move(callback);
  log_max_verbosity_ = max_verbosity;
}

void ScriptedTdJson::on(std::string type, Rule rule) {
  std::lock_guard lock(mu_);
  rules_[std::move(type)] = std::move(rule);
}

void ScriptedTdJson::on(int client_id, std::string type, Rule rule) {
  std::lock_guard lock(mu_);
  client_rules_[client_id][std::move(type)] = std::move(rule);
}

void ScriptedTdJson::push_update(json object) {
  {
    std::lock_guard lock(mu_);
    deliver_locked(std::move(object), last_client_id_ == 0 ? 1 : last_client_id_);
  }
  cv_.notify_all();
}

void ScriptedTdJson::push_update(int client_id, json object) {
  {
    std::lock_guard lock(mu_);
    deliver_locked(std::move(object), client_id);
  }
  cv_.notify_all();
}

void ScriptedTdJson::respond(const json& request, json response) {
  if (request.is_object() && request.contains("@extra")) response["@extra"] = request["@extra"];
  int client_id = 0;
  {
    std::lock_guard lock(mu_);
    for (auto it = requests_.rbegin(); it != requests_.rend() && client_id == 0; ++it) {
      if (json::parse(it->text, nullptr, false) == request) client_id = it->client_id;
    }
    if (client_id == 0) client_id = last_client_id_ == 0 ? 1 : last_client_id_;
  }
  push_update(client_id, std::move(response));
}

std::vector<std::string> ScriptedTdJson::requests() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& r : requests_)
    out.push_back(r.text);
  return out;
}

std::vector<std::string> ScriptedTdJson::requests(int client_id) const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& r : requests_) {
    if (r.client_id == client_id) out.push_back(r.text);
  }
  return out;
}

std::vector<json> ScriptedTdJson::requests_of_type(std::string_view type) const {
  std::vector<json> out;
  for (const auto& text : requests()) {
    json parsed = json::parse(text, nullptr, false);
    if (type_of(parsed) == type) out.push_back(std::move(parsed));
  }
  return out;
}

std::vector<json> ScriptedTdJson::requests_of_type(int client_id, std::string_view type) const {
  std::vector<json> out;
  for (const auto& text : requests(client_id)) {
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

std::vector<int> ScriptedTdJson::client_ids() const {
  std::lock_guard lock(mu_);
  std::vector<int> out;
  for (int id = 1; id <= last_client_id_; ++id)
    out.push_back(id);
  return out;
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

int ScriptedTdJson::log_callback_sets() const {
  std::lock_guard lock(mu_);
  return log_sets_;
}

int ScriptedTdJson::log_callback_clears() const {
  std::lock_guard lock(mu_);
  return log_clears_;
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
