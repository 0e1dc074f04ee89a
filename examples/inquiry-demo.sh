#!/bin/sh
# Two gateways, one inquiry thread (docs/inquiries.md, "Two gateways, one thread"), as one script:
# the US side (gateway A) and the RU side (gateway B) each run `taxii-gateway start` with their own data dir
# and private Redis, each signs for its own authority with its own key and pulls the other's inquiry
# collection over a federation source on loopback. scripts/inquiry-demo-receivers.ts (an SMTP server and a
# webhook receiver on loopback) stands for both sides' duty officers. us-cert opens an urgent
# inquiry on A and RU-CERT's duty officer gets the e-mail and the signed webhook from B; ru-cert acknowledges
# and answers it on B; us-cert closes it on A; each side's copy of the signed thread is verified offline. A
# second inquiry (priority, acknowledgement due in 20 s in this demo's configuration) is left unacknowledged:
# B reminds RU-CERT's duty officer, then escalates to its chief at the deadline, and both sides show it overdue.
# Everything this script starts is stopped by its PID at exit. test/e2e/inquiry-demo.test.ts runs it.
#
#   sh examples/inquiry-demo.sh        (after `npm run build`; or TAXII_GATEWAY="npx tsx src/main/cli.ts")
#
# Environment: DEMO_DIR (default: a new temporary directory, removed at exit), A_PORT (18481), B_PORT (18482),
# SMTP_PORT (18483) and HOOK_PORT (18484) of the notification sink, TAXII_GATEWAY (default ./bin/taxii-gateway),
# DEMO_TIMEOUT (seconds per wait, default 120).
set -eu
cd "$(dirname "$0")/.."
TG="${TAXII_GATEWAY:-./bin/taxii-gateway}"
A_PORT="${A_PORT:-18481}"
B_PORT="${B_PORT:-18482}"
SMTP_PORT="${SMTP_PORT:-18483}"
HOOK_PORT="${HOOK_PORT:-18484}"
WAIT="${DEMO_TIMEOUT:-120}"
if [ -z "${DEMO_DIR:-}" ]; then DEMO_DIR=$(mktemp -d); REMOVE_DIR=1; else REMOVE_DIR=0; fi
mkdir -p "$DEMO_DIR/a" "$DEMO_DIR/b"
COLLECTION=3b2c1d0e-9f8a-4b7c-8d6e-5f4a3b2c1d0e
US_ID=identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc
RU_ID=identity--5fa622d4-ac12-43f4-8db1-26837bd2b361
# Demo passwords, random per run (both gateways know both authorities' accounts).
US_PASSWORD=$(node -e 'process.stdout.write(require("crypto").randomBytes(18).toString("base64url"))')
RU_PASSWORD=$(node -e 'process.stdout.write(require("crypto").randomBytes(18).toString("base64url"))')
DEMO_HOOK_SECRET=$(node -e 'process.stdout.write(require("crypto").randomBytes(18).toString("base64url"))')
export US_PASSWORD RU_PASSWORD DEMO_HOOK_SECRET
# The deadline worker looks for pulled threads every 2 s here (default 30 s), so the demo does not wait.
export GATEWAY_INQUIRY_RECONCILE_MS=2000
unset REDIS_URL REDIS_CLUSTER_NODES GATEWAY_URL GATEWAY_TOKEN || true

A_PID=''
B_PID=''
SINK_PID=''
stop() {
  for pid in $A_PID $B_PID $SINK_PID; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $A_PID $B_PID $SINK_PID; do wait "$pid" 2>/dev/null || true; done
  if [ "$REMOVE_DIR" = 1 ]; then rm -rf "$DEMO_DIR"; fi
}
trap stop EXIT INT TERM

# Each side's signing key, made before the first start so that each can name the partner's public key.
for side in a b; do
  node -e '
    const { generateKeyPairSync } = require("crypto"); const fs = require("fs"); const d = process.argv[1];
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    fs.writeFileSync(d + "/inquiry-signing-key.pem", privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    fs.writeFileSync(d + "/inquiry-signing-key.pub.pem", publicKey.export({ type: "spki", format: "pem" }));
  ' "$DEMO_DIR/$side"
done

# config SELF_PORT PARTNER_PORT PARTNER_AUTHORITY PARTNER_KEY PULL_AS PULL_PASSWORD_ENV SELF_AUTHORITY SELF_DOMAIN
# Each gateway notifies its own authority's duty officer (e-mail and webhook) and escalates to its chief.
config() {
  cat <<YAML
server:
  title: Inquiry demo gateway (port $1)
  default_api_root: cert-exchange
api_roots:
  - name: cert-exchange
    title: CERT exchange
    max_content_length: 1000000
collections:
  - id: $COLLECTION
    api_root: cert-exchange
    alias: us-ru-inquiries
    title: Inquiries between US-CERT and RU-CERT
    readers: [us-cert, ru-cert]
    writers: []
principals:
  - name: us-cert
    identity: $US_ID
    credentials: [{ basic: { secret_env: US_PASSWORD } }]
  - name: ru-cert
    identity: $RU_ID
    credentials: [{ basic: { secret_env: RU_PASSWORD } }]
inquiries:
  urgency:
    urgent: { acknowledge_within: 30m, answer_within: 24h, remind_before: 10m }
    priority: { acknowledge_within: 20s, answer_within: 10m, remind_before: 10s }
  channels:
    - collection: us-ru-inquiries
      authorities: [us-cert, ru-cert]
  partner_keys:
    - { authorities: [$3], public_key_file: "$4" }
  contacts:
    $7:
      duty:
        - { name: $7-duty, email: duty@$8 }
        - { name: $7-duty-hook, webhook: "http://127.0.0.1:$HOOK_PORT/hooks/inquiry", secret_env: DEMO_HOOK_SECRET }
      escalation:
        - { name: $7-chief, email: chief@$8 }
  smtp: { host: 127.0.0.1, port: $SMTP_PORT, from: "gateway@$8" }
sources:
  - name: partner-inquiries
    url: http://127.0.0.1:$2/cert-exchange/
    collection: $COLLECTION
    into: us-ru-inquiries
    auth: { basic: { username: $5, password_env: $6 } }
    schedule: 10
YAML
}
config "$A_PORT" "$B_PORT" ru-cert "$DEMO_DIR/b/inquiry-signing-key.pub.pem" us-cert US_PASSWORD us-cert us-cert.example >"$DEMO_DIR/a/collections.yaml"
config "$B_PORT" "$A_PORT" us-cert "$DEMO_DIR/a/inquiry-signing-key.pub.pem" ru-cert RU_PASSWORD ru-cert ru-cert.example >"$DEMO_DIR/b/collections.yaml"

SINK_LOG="$DEMO_DIR/notifications.log"
: >"$SINK_LOG"
echo "== duty officers' mailbox and webhook receiver (SMTP :$SMTP_PORT, webhooks :$HOOK_PORT), log $SINK_LOG"
DEMO_SMTP_PORT=$SMTP_PORT DEMO_HOOK_PORT=$HOOK_PORT DEMO_HOOK_SECRET_ENV=DEMO_HOOK_SECRET \
  node --import tsx scripts/inquiry-demo-receivers.ts >"$SINK_LOG" 2>&1 &
SINK_PID=$!

echo "== starting gateway A (US side, :$A_PORT) and gateway B (RU side, :$B_PORT)"
LOG_LEVEL=warn $TG start --config "$DEMO_DIR/a/collections.yaml" --data-dir "$DEMO_DIR/a" --port "$A_PORT" >"$DEMO_DIR/a.log" 2>&1 &
A_PID=$!
LOG_LEVEL=warn $TG start --config "$DEMO_DIR/b/collections.yaml" --data-dir "$DEMO_DIR/b" --port "$B_PORT" >"$DEMO_DIR/b.log" 2>&1 &
B_PID=$!
for port in "$A_PORT" "$B_PORT"; do
  i=0
  until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
    i=$((i + 1))
    if [ "$i" -gt "$WAIT" ] || ! kill -0 "$A_PID" 2>/dev/null || ! kill -0 "$B_PID" 2>/dev/null; then echo "gateway on :$port not ready; logs:" >&2; cat "$DEMO_DIR"/*.log >&2; exit 1; fi
    sleep 1
  done
done

# as SIDE USER: the inquiry CLI against gateway A or B as us-cert or ru-cert
as() {
  side=$1 user=$2
  shift 2
  if [ "$side" = a ]; then url="http://127.0.0.1:$A_PORT"; else url="http://127.0.0.1:$B_PORT"; fi
  if [ "$user" = us-cert ]; then pw=$US_PASSWORD; else pw=$RU_PASSWORD; fi
  GATEWAY_URL=$url GATEWAY_USER=$user GATEWAY_PASSWORD=$pw $TG inquiry "$@"
}
field() { node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>process.stdout.write(String(JSON.parse(s)[process.argv[1]])))' "$1"; }
# wait_state SIDE USER STATE: until the inquiry shows STATE on that side (the partner's source pulls every 10 s)
wait_state() {
  i=0
  until [ "$(as "$1" "$2" show "$ID" 2>/dev/null | field state 2>/dev/null || true)" = "$3" ]; do
    i=$((i + 1))
    if [ "$i" -gt "$WAIT" ]; then echo "inquiry not $3 on $1 in time" >&2; exit 1; fi
    sleep 1
  done
  echo "   gateway $(echo "$1" | tr ab AB) sees: $3"
}

echo "== us-cert opens an urgent inquiry on A"
ID=$(as a us-cert open --to ru-cert --subject "Scanning of grid operators" \
  --description "Scanning of our grid operators from address space registered in your country." \
  --urgency urgent --action information | field id)
echo "   $ID"
wait_state b ru-cert open
# wait_note PATTERN WHAT: until the sink logged a line matching PATTERN
wait_note() {
  i=0
  until grep -q -- "$1" "$SINK_LOG"; do
    i=$((i + 1))
    if [ "$i" -gt "$WAIT" ]; then echo "no $2 in time; the sink logged:" >&2; cat "$SINK_LOG" >&2; exit 1; fi
    sleep 1
  done
  echo "   $2: $(grep -- "$1" "$SINK_LOG" | head -n 1)"
}
wait_note "e-mail to duty@ru-cert.example <inquiry\." "e-mail to RU-CERT's duty officer"
wait_note "signature valid: contact=ru-cert-duty-hook kind=message inquiry=$ID" "signed webhook to RU-CERT's duty officer"
echo "== ru-cert acknowledges and answers on B"
as b ru-cert ack "$ID" --lang ru --text "Получено" >/dev/null
as b ru-cert answer "$ID" --text "Compromised hosting; the owner was notified." >/dev/null
wait_state a us-cert answered
echo "== us-cert closes on A"
as a us-cert close "$ID" >/dev/null
wait_state b ru-cert closed

echo "== each side's signed thread, verified offline with the two public keys"
as a us-cert show "$ID" --bundle >"$DEMO_DIR/thread-a.json"
as b ru-cert show "$ID" --bundle >"$DEMO_DIR/thread-b.json"
for side in a b; do
  $TG inquiry verify "$DEMO_DIR/thread-$side.json" \
    --key "$US_ID=$DEMO_DIR/a/inquiry-signing-key.pub.pem" --key "$RU_ID=$DEMO_DIR/b/inquiry-signing-key.pub.pem"
done
LAST_A=$(as a us-cert show "$ID" | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>process.stdout.write(JSON.parse(s).last.sha256))')
LAST_B=$(as b ru-cert show "$ID" | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>process.stdout.write(JSON.parse(s).last.sha256))')
if [ "$LAST_A" != "$LAST_B" ]; then echo "the two sides hold different threads ($LAST_A / $LAST_B)" >&2; exit 1; fi
echo "== both sides hold the same closed thread (last message sha256 $LAST_A)"

echo "== us-cert opens a priority inquiry on A (acknowledgement due in 20 s); nobody acknowledges it"
ID=$(as a us-cert open --to ru-cert --subject "Beaconing to a hosting provider" \
  --description "Beaconing from our ministries to a hosting provider in your country." \
  --urgency priority --action information | field id)
echo "   $ID"
wait_state b ru-cert open
wait_note "signature valid: contact=ru-cert-duty-hook kind=reminder inquiry=$ID" "reminder to RU-CERT's duty officer"
wait_note "e-mail to chief@ru-cert.example " "escalation e-mail to RU-CERT's chief"
for side in a b; do
  if [ "$side" = a ]; then user=us-cert; else user=ru-cert; fi
  i=0
  until [ "$(as "$side" "$user" show "$ID" 2>/dev/null | field overdue 2>/dev/null || true)" = "acknowledge" ]; do
    i=$((i + 1))
    if [ "$i" -gt "$WAIT" ]; then echo "inquiry not shown overdue on $side in time" >&2; exit 1; fi
    sleep 1
  done
  echo "   gateway $(echo "$side" | tr ab AB) shows it overdue (acknowledgement)"
done
echo "inquiry demo: OK"
