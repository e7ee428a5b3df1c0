# Sourced by tests/e2e/run.sh and benches/load_http.sh: serve an index on a free loopback port.
# serve_index BIN INDEX_DIR LOG [SERVE_ARGS...]: starts `byline serve --port 0` in the
# background, sets $serve_pid and $serve_url (http://127.0.0.1:PORT/), and fails with the log
# if it never starts.
serve_index() {
  "$1" --index "$2" serve --port 0 "${@:4}" 2>"$3" &
  serve_pid=$!
  serve_url=""
  for _ in $(seq 1 100); do
    serve_url=$(sed -n 's/^byline: serving \(http[^ ]*\)$/\1/p' "$3")
    [ -n "$serve_url" ] && return 0
    sleep 0.1
  done
  echo "the server did not start:" >&2
  cat "$3" >&2
  return 1
}
