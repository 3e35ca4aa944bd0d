/**
 * @packageDocumentation
 * Example: a minimal HTTP/1.1 client on `@iostream/tcp` and `@iostream/tls`.
 * {@link HttpClient} sends requests with keep-alive; {@link readResponse} reads one
 * response (Content-Length, chunked, or read-until-close) off any `IOStream`.
 */
export { HttpClient, type HttpClientOptions, type HttpRequest, type HttpResult } from './client.js';
export { HttpProtocolError, type HttpResponse, type ReadResponseOptions, readResponse } from './response.js';
