# The README's quick start, as one script (test/e2e/quickstart.test.ts runs it against a started gateway).
# Before: `npm start` in another terminal, then copy the two passwords its banner shows:
#   export US_PASSWORD='<us-cert password>' RU_PASSWORD='<ru-cert password>'
set -eu
GW="${GW:-http://127.0.0.1:8080}"
H='Accept: application/taxii+json;version=2.1'
CT='Content-Type: application/taxii+json;version=2.1'

# discovery and the collections us-cert may see
curl -fsS -u "us-cert:$US_PASSWORD" -H "$H" "$GW/taxii2/"
curl -fsS -u "us-cert:$US_PASSWORD" -H "$H" "$GW/cert-exchange/collections/"

# us-cert posts the example bundle; the answer is a status resource (its "id" is the status id)
STATUS_ID=$(curl -fsS -u "us-cert:$US_PASSWORD" -H "$H" -H "$CT" --data @examples/bundle.json \
  "$GW/cert-exchange/collections/us-cert-indicators/objects/" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
for i in 1 2 3 4 5 6 7 8 9 10; do   # the worker completes the status within a few seconds
  curl -fsS -u "us-cert:$US_PASSWORD" -H "$H" "$GW/cert-exchange/status/$STATUS_ID/" | grep -q '"status":"complete"' && break
  sleep 1
done
curl -fsS -u "us-cert:$US_PASSWORD" -H "$H" "$GW/cert-exchange/status/$STATUS_ID/"

# ru-cert reads what it is cleared for; -g because of the [brackets] of match[...]
curl -g -fsS -u "ru-cert:$RU_PASSWORD" -H "$H" \
  "$GW/cert-exchange/collections/us-cert-indicators/objects/?match[type]=indicator&limit=10"

# the CLI finds the running gateway's private Redis through the data dir (./data unless GATEWAY_DATA_DIR)
./bin/taxii-gateway import --collection ru-cert-indicators --format csv examples/ru-cert-indicators.csv
./bin/taxii-gateway export --collection ru-cert-indicators --format csv
