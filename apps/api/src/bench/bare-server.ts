import { readFileSync } from "node:fs";
import { createServer } from "node:http";

/** One recorded answer: its headers as the API sent them (without those Node adds itself) and its body, base64. */
export interface RecordedAnswer {
  headers: Record<string, string>;
  body: string;
}

/**
 * The upper bound: a bare node:http server answering each path with the bytes the API answered
 * it with (headers and body, recorded beforehand), so the comparison measures only the API's own work.
 */
const answers = new Map(
  Object.entries(JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Record<string, RecordedAnswer>).map(([path, answer]) => [
    path,
    { headers: answer.headers, body: Buffer.from(answer.body, "base64") },
  ]),
);
const server = createServer((request, response) => {
  const answer = answers.get(request.url ?? "");
  if (!answer) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, answer.headers).end(answer.body);
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("ready"));
