#!/usr/bin/env bash
# The cluster harness and the token encoding byline's push will carry its analysis in,
# checked on a real three-node OpenSearch 2.19.6 cluster (run by .ci/run):
# - the cluster starts green on loopback; an index of 3 shards and 1 replica takes documents;
# - `byline export --to opensearch` of the seeds, loaded by its load.sh: a term of byline's
#   stemmed field finds on the cluster the passages the local index finds;
# - `byline push`: everything once, then nothing, then only a rewritten article (its extra
#   passages deleted), then a deletion; the cluster ends holding what the index holds;
# - `byline search|facets --engine`: the seed judgments' queries give the local page, and
#   facet counts are the local ones; a variant matches; on a 10,000-article generated
#   corpus, the 30 fixed searches of tests/queries.psv give the local page, totals and
#   facets (one bounded difference); with a node killed they answer the same;
# - analysed terms written as whitespace-separated tokens, alternatives at one position
#   joined by "|" and a position left empty written as "_", are read back with the same
#   positions (a phrase matches only across a gap with slop), every alternative searchable;
# - one node killed: the cluster goes yellow and every search still answers from all shards;
#   the node back: green again;
# - stop leaves no node running.
# Skipped, saying why, without Java or Maven.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for tool in java mvn curl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "opensearch smoke: skipped: $tool is not installed" >&2
    exit 0
  fi
done
cluster="$here/cluster.sh"
trap '"$cluster" stop' EXIT
started=$SECONDS
url=$("$cluster" start | tail -1)
echo "opensearch smoke: cluster green at $url in $((SECONDS - started)) s" >&2
failed=0
check() { # WHAT EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then echo "opensearch ok: $1"; else echo "opensearch FAILED: $1: expected $2, got $3"; failed=1; fi
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
put() { curl -s -XPUT "$url$1" -H 'Content-Type: application/json' -d "$2"; }
post() { curl -s -XPOST "$url$1" -H 'Content-Type: application/json' -d "$2"; }
put byline-smoke '{
  "settings": {"number_of_shards": 3, "number_of_replicas": 1,
    "analysis": {
      "filter": {
        "byline_alternatives": {"type": "pattern_capture", "preserve_original": false, "patterns": ["([^|]+)"]},
        "byline_gaps": {"type": "stop", "stopwords": ["_"]}},
      "analyzer": {"byline_terms": {"type": "custom", "tokenizer": "whitespace",
        "filter": ["byline_alternatives", "byline_gaps"]}}}},
  "mappings": {"properties": {"text": {"type": "text", "analyzer": "byline_terms"}}}}' >/dev/null
post 'byline-smoke/_doc/p1?refresh=wait_for' '{"text": "en:ambassador|en:ambassadors en:iravani _ en:met en:musk"}' >/dev/null
post 'byline-smoke/_doc/p2?refresh=wait_for' '{"text": "en:musk en:met en:iravani"}' >/dev/null
tokens=$(post 'byline-smoke/_analyze' '{"analyzer": "byline_terms", "text": "en:ambassador|en:ambassadors en:iravani _ en:met"}' \
  | json "' '.join(t['token'] + '@' + str(t['position']) for t in d['tokens'])")
check "alternatives share a position, a gap keeps its place" \
  "en:ambassador@0 en:ambassadors@0 en:iravani@1 en:met@3" "$tokens"
hits() { post 'byline-smoke/_search' "$1" | json "sorted(h['_id'] for h in d['hits']['hits'])"; }
check "each alternative is a term" "['p1']" "$(hits '{"query": {"term": {"text": "en:ambassadors"}}}')"
check "a phrase does not jump the gap" "[]" "$(hits '{"query": {"match_phrase": {"text": "en:iravani en:met"}}}')"
check "a phrase spans the gap with slop 1" "['p1']" "$(hits '{"query": {"match_phrase": {"text": {"query": "en:iravani en:met", "slop": 1}}}}')"
check "an alternative holds its place in a phrase" "['p1']" "$(hits '{"query": {"match_phrase": {"text": "en:ambassadors en:iravani"}}}')"
# The seeds exported by byline and loaded with its own load.sh: the passages a term of
# byline's stemmed field finds on the cluster are those the local index finds for it.
root=$(cd "$here/../.." && pwd)
cargo build --quiet --manifest-path "$root/Cargo.toml"
bin="$root/target/debug/byline"
work=$(mktemp -d)
trap '"$cluster" stop; rm -rf "$work"' EXIT
"$bin" --index "$work/index" index "$root/seeds" 2>/dev/null
"$bin" --index "$work/index" export --to opensearch "$work/os" --shards 3 --replicas 1 2>/dev/null
sh "$work/os/load.sh" "$url" >/dev/null
local_passages=$("$bin" --index "$work/index" search Iravani --exact --passages 50 --json \
  | python3 -c "
import json, sys
rows = [json.loads(l) for l in sys.stdin]
print(sorted(h['id'] + '#' + str(p['passage']) for h in rows if h['type'] == 'hit' for p in h['passages']))")
remote_passages=$(post 'byline/_search' '{"size": 100, "_source": false, "query": {"term": {"text": "en:iravani"}}}' \
  | json "sorted(h['_id'] for h in d['hits']['hits'])")
check "the seeds have 7 passages with Iravani" "7" "$(python3 -c "print(len($local_passages))")"
check "the same 7 passages on the cluster" "$local_passages" "$remote_passages"
count=$(post 'byline/_count' '{"query": {"match_all": {}}}' | json "d['count']")
check "every article and passage was loaded (5 + 54)" "59" "$count"
# byline push: the seeds into an index of its own making, then only what changed.
pushed() { "$bin" --index "$work/push" push --engine "$url" --shards 3 --replicas 1 --json 2>/dev/null \
  | json "'%d sent %d passages %d unchanged %d deleted %d refused' % (d['sent'], d['passages'], d['unchanged'], d['deleted'], len(d['failed']))"; }
curl -s -XDELETE "${url}byline" >/dev/null
mkdir -p "$work/articles"
cp "$root"/seeds/*.txt "$root"/seeds/*.toml "$work/articles/" 2>/dev/null || cp "$root"/seeds/*.txt "$work/articles/"
"$bin" --index "$work/push" index "$work/articles" 2>/dev/null
check "push sends every article and passage" "5 sent 54 passages 0 unchanged 0 deleted 0 refused" "$(pushed)"
check "a second push sends nothing" "0 sent 0 passages 5 unchanged 0 deleted 0 refused" "$(pushed)"
# One article rewritten shorter: its passages are replaced, the extra ones deleted.
printf 'Iravani met the envoy again.\n\nThe talks ended without a statement.\n' > "$work/articles/001_220633d67de26689.txt"
"$bin" --index "$work/push" index "$work/articles" 2>/dev/null
check "a changed article alone is sent" "1 sent 2 passages 4 unchanged 0 deleted 0 refused" "$(pushed)"
held=$(post 'byline/_search' '{"size": 100, "_source": false, "query": {"term": {"article": "001_220633d67de26689"}}}' \
  | json "sorted(h['_id'] for h in d['hits']['hits'])")
check "its documents on the cluster: the article and its 2 new passages" \
  "['001_220633d67de26689', '001_220633d67de26689#0', '001_220633d67de26689#1']" "$held"
"$bin" --index "$work/push" delete 004_04826b823f129728 >/dev/null 2>&1
check "an article deleted locally is deleted on the cluster" "0 sent 0 passages 4 unchanged 1 deleted 0 refused" "$(pushed)"
count=$(post 'byline/_count' '{"query": {"match_all": {}}}' | json "d['count']")
check "the cluster holds what the local index holds (4 articles, 33 passages)" "$(( 4 + $("$bin" --index "$work/push" articles --json | python3 -c "import json,sys; print(sum(json.loads(l)['passages'] for l in sys.stdin))") ))" "$count"
# byline search --engine: the seed judgments' 33 queries, planned by the local index (the
# pushed one: a seed rewritten, one deleted), run on the cluster and ranked by byline: the
# same articles, in the same order, with the same scores and passages as locally.
ids() { python3 -c "import json,sys; print([d['id'] for d in map(json.loads, sys.stdin) if d['type'] == 'hit'])"; }
page() { python3 -c "import json,sys; print([(d['id'], round(d['score'], 4), [(p['passage'], p['start'], p['highlights']) for p in d['passages']]) for d in map(json.loads, sys.stdin) if d['type'] == 'hit'])"; }
same_set=0; same_order=0; queries=0
while IFS= read -r q; do
  queries=$((queries + 1))
  # (Exit 1 is a search that found nothing.)
  a=$({ "$bin" --index "$work/push" search "$q" -j -n 10 2>/dev/null || true; } | page)
  b=$({ "$bin" --index "$work/push" search "$q" -j -n 10 --engine "$url" 2>/dev/null || true; } | page)
  if [ "$a" = "$b" ]; then same_order=$((same_order + 1)); fi
  if [ "$(python3 -c "print(sorted(h[0] for h in $a))")" = "$(python3 -c "print(sorted(h[0] for h in $b))")" ]; then
    same_set=$((same_set + 1))
  fi
done < <(grep -v '^#' "$root/seeds/judgments.tsv" | cut -f1 | sort -u)
check "search --engine: the same articles as locally for every seed query" "33 of 33" "$same_set of $queries"
check "search --engine: the same order, scores, passages and highlights for every one" "33" "$same_order"
for q in "" Iravani "Musk talks"; do
  check "facets --engine '$q': the local counts" \
    "$("$bin" --index "$work/push" facets "$q" -j 2>/dev/null)" \
    "$("$bin" --index "$work/push" facets "$q" -j --engine "$url" 2>/dev/null)"
done
variant=$("$bin" --index "$work/push" search Araghchi -j --engine "$url" 2>/dev/null \
  | python3 -c "import json,sys; print([m['form'] + ' ' + m['how'] for d in map(json.loads, sys.stdin) if d['type'] == 'hit' for p in d['passages'] for m in p['matched_as']])")
check "a spelling variant matches on the cluster and says so" "['Arghachi fold']" "$variant"
# A 10,000-article generated corpus pushed to 3 shards and 1 replica, and the 30 fixed
# searches of tests/queries.psv on it, locally and through the cluster: the same page
# (articles, order, scores, passages, highlights), totals and facet counts for all but a
# single very common word with a page of one, where the cluster's window (its best 100 by
# Lucene's BM25, whose document counts and length norms differ from tantivy's) misses the
# top article among thousands within 1%: the gap between the two pages' scores is bounded.
tenk=$SECONDS
cargo build --quiet --manifest-path "$root/Cargo.toml" --example gen_corpus
"$root/target/debug/examples/gen_corpus" 10000 "$work/gen" >/dev/null 2>&1
"$bin" --index "$work/gen-index" index "$work/gen/articles.ndjson" 2>/dev/null
curl -s -XDELETE "${url}byline" >/dev/null
pushed=$("$bin" --index "$work/gen-index" push --engine "$url" --shards 3 --replicas 1 --json 2>/dev/null \
  | json "'%d sent %d passages %d refused %.0f s' % (d['sent'], d['passages'], len(d['failed']), d['seconds'])")
check "the 10,000 articles are pushed (${pushed##* refused })" "10000 sent 139845 passages 0" "${pushed% refused *}"
same_pages() { python3 "$here/same_page.py" "$bin" "$work/gen-index" "$url" "$root/tests/queries.psv" | tail -1; }
summary=$(same_pages)
echo "$summary" | json "'\n'.join('opensearch note: ' + json.dumps(x) for x in d['differences'])"
check "30 fixed searches on 10k: the same page for 29" "29" "$(echo "$summary" | json "d['same_page']")"
check "30 fixed searches on 10k: the same totals for all" "30" "$(echo "$summary" | json "d['same_totals']")"
check "30 fixed searches on 10k: the same facet counts for all" "30" "$(echo "$summary" | json "d['same_facets']")"
check "the one other page: scores within 1% of the local page's, rank by rank" "True" \
  "$(echo "$summary" | json "d.get('max_score_gap', 0) < 0.01")"
check "date order on 10k: the same page, totals and facets for 4 searches" "4 4 4" \
  "$(python3 "$here/same_page.py" "$bin" "$work/gen-index" "$url" "$here/date_order.psv" | tail -1 \
     | json "'%d %d %d' % (d['same_page'], d['same_totals'], d['same_facets'])")"
# byline serve --engine: /search and /facets answer from the cluster what a local server
# answers (apart from the time taken).
"$bin" --index "$work/gen-index" serve --port 18391 >/dev/null 2>&1 &
local_server=$!
"$bin" --index "$work/gen-index" serve --port 18392 --engine "$url" >/dev/null 2>&1 &
cluster_server=$!
trap 'kill $local_server $cluster_server 2>/dev/null; "$cluster" stop; rm -rf "$work"' EXIT
for port in 18391 18392; do
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
done
answer() { curl -s "http://127.0.0.1:$1$2" | sed -E 's/"elapsed_ms":[0-9.e+-]+//'; }
for route in "/search?q=Iravani%20Musk&limit=5&passages=2&facets=outlet,person" \
             "/facets?q=nuclear&facets=outlet,date,lang" "/search?q=Araghchi&lang=en&offset=5"; do
  check "serve --engine: $route as a local server answers it" \
    "$(answer 18391 "$route")" "$(answer 18392 "$route")"
done
kill $local_server $cluster_server 2>/dev/null || true
trap '"$cluster" stop; rm -rf "$work"' EXIT
echo "opensearch smoke: the 10k stage took $((SECONDS - tenk)) s" >&2
health=$(curl -s "${url}_cluster/health?wait_for_status=green&timeout=60s" | json "d['status']")
check "3 shards and 1 replica each are allocated" "green" "$health"
"$cluster" kill 2
sleep 1
shards=$(post 'byline-smoke/_search' '{"query": {"term": {"text": "en:musk"}}}' | json "'%d/%d %d' % (d['_shards']['successful'], d['_shards']['total'], d['hits']['total']['value'])")
check "with node 2 killed, every shard answers and both documents are found" "3/3 2" "$shards"
status=$(curl -s "${url}_cluster/health" | json "'%s %d' % (d['status'], d['number_of_nodes'])")
check "the cluster is yellow on two nodes" "yellow 2" "$status"
check "with node 2 killed, the 30 fixed searches answer as before" "$summary" "$(same_pages)"
restarted=$SECONDS
"$cluster" restart 2 >/dev/null
status=$(curl -s "${url}_cluster/health" | json "'%s %d' % (d['status'], d['number_of_nodes'])")
check "node 2 back: green on three nodes ($((SECONDS - restarted)) s)" "green 3" "$status"
"$cluster" stop
rm -rf "$work"
trap - EXIT
left=$(pgrep -f byline.opensearch.NodeMain | wc -l || true)
check "stop leaves no node running" "0" "$left"
echo "opensearch smoke: done in $((SECONDS - started)) s"
exit $failed
