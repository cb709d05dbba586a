import { readFileSync } from "node:fs";
import { createServer } from "node:http";

/**
 * The upper bound: a bare node:http server answering each path with bytes computed
 * beforehand (the API's own answers), so the comparison measures only the API's own work.
 */
const answers = new Map(
  Object.entries(JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Record<string, { type: string; body: string }>).map(([path, answer]) => [
    path,
    { type: answer.type, body: Buffer.from(answer.body, "base64") },
  ]),
);
const server = createServer((request, response) => {
  const answer = answers.get(request.url ?? "");
  if (!answer) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { "content-type": answer.type, "content-length": answer.body.length }).end(answer.body);
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("ready"));
