import { createRoute } from "@hono/zod-openapi";
import { IdParamSchema, PostDetailQuerySchema, PostDetailSchema, PostPageSchema, PostsQuerySchema } from "@backchannel/schema";
import { json } from "../http/json-text.js";
import { createRouter, errorResponses } from "../http/router.js";
import type { Snapshot } from "../store/snapshot.js";

const listPosts = createRoute({
  method: "get",
  path: "/posts",
  operationId: "listPosts",
  tags: ["posts"],
  summary: "Offices (posts) by title, with their holders over time, or on one day with `on`",
  request: { query: PostsQuerySchema },
  responses: { 200: { description: "a page of posts", content: { "application/json": { schema: PostPageSchema } } }, 400: errorResponses[400] },
});

const getPost = createRoute({
  method: "get",
  path: "/posts/{id}",
  operationId: "getPost",
  tags: ["posts"],
  summary: "One office with every tenure and the citations showing it; `on` keeps the holders on that day",
  request: { params: IdParamSchema, query: PostDetailQuerySchema },
  responses: { 200: { description: "the post", content: { "application/json": { schema: PostDetailSchema } } }, ...errorResponses },
});

export function postRoutes(snapshot: Snapshot) {
  return createRouter()
    .openapi(listPosts, (c) => json(c, snapshot.listPosts(c.req.valid("query"))))
    .openapi(getPost, (c) => json(c, snapshot.getPost(c.req.valid("param").id, c.req.valid("query").on)));
}
