// The one list of configuration keys. Keep descriptions short: they become comments in
// `config example` and rows in docs/CONFIGURATION.md.
// The table leaves trailing fields (choices, bounds) at their defaults where they do not apply.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include "core/config.h"

namespace sakai {

const std::vector<ConfigKey>& config_schema() {
  using T = ConfigType;
  static const std::vector<ConfigKey> kSchema = {
      // [telegram]
      {"telegram", "api_id", T::kInt, "", false, "Telegram api_id from my.telegram.org",
       {"TELEGRAM_API_ID"}, {}, 1, 2147483647},
      {"telegram", "api_hash", T::kString, "", true, "Telegram api_hash from my.telegram.org",
       {"TELEGRAM_API_HASH"}},
      {"telegram", "phone", T::kString, "", true, "Phone number of the account, +countrycode...",
       {"TELEGRAM_PHONE_NUMBER"}},
      {"telegram", "session_name", T::kString, "sakaibot", false,
       "Name of the TDLib session directory under the data dir", {"TELEGRAM_SESSION_NAME"}},
      {"telegram", "tdjson_path", T::kString, "", false,
       "Path to libtdjson.so (default: search node_modules and system paths)", {}},
      {"telegram", "database_key", T::kString, "", true,
       "Key of the encrypted TDLib database (default: generated into a 0600 file)", {}},
      {"telegram", "proxy", T::kUrl, "", true,
       "Proxy for Telegram: socks5://[user:pass@]host:port, http://host:port or "
       "mtproto://secret@host:port",
       {}, {"socks5", "http", "https", "mtproto"}},
      // [bot]
      {"bot", "language", T::kEnum, "en", false, "Default language of replies",
       {}, {"en", "fa", "ar"}},
      {"bot", "command_prefixes", T::kStringList, "/", false,
       "Characters that start a command (e.g. \"/\" or \"/,.\" for several)", {}},
      {"bot", "max_input_chars", T::kInt, "8192", false,
       "Longest command text accepted, in characters", {}, {}, 16, 1000000},
      {"bot", "confirm_timeout", T::kDuration, "1h", false,
       "How long a friend's command waits for the owner's confirm", {}},
      // [ratelimit]
      {"ratelimit", "max_commands", T::kInt, "8", false,
       "Commands one user may run per window (0 disables the limit; the owner is exempt)",
       {}, {}, 0, 100000},
      {"ratelimit", "window", T::kDuration, "60s", false, "Length of the rate-limit window", {}},
      {"ratelimit", "owner_exempt", T::kBool, "true", false, "The owner is never rate-limited", {}},
      // [llm]
      {"llm", "provider", T::kEnum, "gemini", false, "Primary LLM provider",
       {"LLM_PROVIDER"}, {"gemini", "openrouter", "openai"}},
      {"llm", "fallback", T::kStringList, "", false,
       "Providers tried in order when the primary fails (\"none\" for no fallback)",
       {"LLM_FALLBACK_PROVIDER"}},
      // [gemini]
      {"gemini", "api_keys", T::kStringList, "", true,
       "Gemini API keys; several rotate when one hits its quota",
       {"GEMINI_API_KEY", "GEMINI_API_KEY_*"}},
      {"gemini", "api_key_tts", T::kString, "", true, "Separate Gemini key for text-to-speech",
       {"GEMINI_API_KEY_TTS"}},
      {"gemini", "model", T::kString, "gemini-2.5-flash", false, "Default Gemini model",
       {"GEMINI_MODEL"}},
      {"gemini", "model_pro", T::kString, "", false, "Gemini model for heavy tasks (analyze)",
       {"GEMINI_MODEL_PRO"}},
      {"gemini", "model_flash", T::kString, "", false, "Gemini model for light tasks (translate)",
       {"GEMINI_MODEL_FLASH"}},
      {"gemini", "model_web", T::kString, "", false, "Gemini model used for =web answers",
       {"GEMINI_MODEL_WEB_SEARCH"}},
      {"gemini", "tts_model", T::kString, "gemini-2.5-flash-preview-tts", false,
       "Gemini text-to-speech model", {"GEMINI_TTS_MODEL"}},
      {"gemini", "tts_voice", T::kString, "Orus", false, "Gemini text-to-speech voice",
       {"GEMINI_TTS_VOICE"}},
      {"gemini", "base_url", T::kUrl, "https://generativelanguage.googleapis.com", false,
       "Gemini API base URL (point it at a local server to stand in)", {"GEMINI_BASE_URL"},
       {"http", "https"}},
      // [openrouter]
      {"openrouter", "api_keys", T::kStringList, "", true, "OpenRouter API keys",
       {"OPENROUTER_API_KEY", "OPENROUTER_API_KEY_*"}},
      {"openrouter", "model", T::kString, "meta-llama/llama-3.3-70b-instruct:free", false,
       "Default OpenRouter model", {"OPENROUTER_MODEL"}},
      {"openrouter", "base_url", T::kUrl, "https://openrouter.ai/api/v1", false,
       "OpenRouter API base URL", {"OPENROUTER_BASE_URL"}, {"http", "https"}},
      // [openai]
      {"openai", "api_keys", T::kStringList, "", true,
       "API keys of an OpenAI-compatible server (OpenAI, Groq, Together; empty for Ollama)",
       {"OPENAI_API_KEY"}},
      {"openai", "model", T::kString, "gpt-4o-mini", false, "Default model on that server",
       {"OPENAI_MODEL"}},
      {"openai", "base_url", T::kUrl, "https://api.openai.com/v1", false,
       "OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1 for Ollama",
       {"OPENAI_BASE_URL"}, {"http", "https"}},
      // [http]
      {"http", "proxy", T::kUrl, "", true,
       "Proxy for AI and other HTTP calls: socks5://, socks5h:// or http://", {},
       {"socks5", "socks5h", "http", "https"}},
      {"http", "timeout", T::kDuration, "120s", false, "Deadline of one HTTP request", {}},
      // [analyze]
      {"analyze", "max_messages", T::kInt, "10000", false,
       "Most messages /analyze and /tellme may read", {"USERBOT_MAX_ANALYZE_MESSAGES"}, {}, 1,
       100000},
      // [storage]
      {"storage", "backend", T::kEnum, "sqlite", false, "Where state is kept", {},
       {"sqlite", "postgres"}},
      {"storage", "path", T::kString, "", false,
       "SQLite database file (default: <data dir>/sakaibot.db)", {}},
      {"storage", "postgres_url", T::kString, "", true,
       "PostgreSQL connection URI, postgresql://user:pass@host/db", {}},
      // [data]
      {"data", "dir", T::kString, "", false,
       "Directory for the database, session and media (default: $XDG_DATA_HOME/sakaibot or "
       "~/.local/share/sakaibot)",
       {}},
      // [log]
      {"log", "level", T::kEnum, "info", false, "Log level", {},
       {"trace", "debug", "info", "warn", "error", "off"}},
      {"log", "format", T::kEnum, "human", false, "Log format: human lines or JSON lines", {},
       {"human", "json"}},
  };
  return kSchema;
}

}  // namespace sakai
