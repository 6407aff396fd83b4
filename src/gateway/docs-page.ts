import path from 'node:path';
import express, { Router } from 'express';

/** Where swagger-ui-dist keeps its static files (resolved through node_modules, never a CDN). */
const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));

// Replaces the package's own initializer, which points at the Petstore demo.
const INITIALIZER = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  });
};
`;

/** `GET /docs`: Swagger UI over `/openapi.json`, served from the installed package. */
export function docsPage(): Router {
  const router = Router();
  router.get('/docs/swagger-initializer.js', (_req, res) => {
    res.type('application/javascript').send(INITIALIZER);
  });
  router.use('/docs', express.static(SWAGGER_UI_DIR, { index: 'index.html' }));
  return router;
}
