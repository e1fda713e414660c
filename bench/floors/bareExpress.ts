/** A floor for the front-door benchmark: bare Express parsing the JSON body (express.json()) and answering {}. */
import express from 'express';

const app = express();
app.post('/webhook/event', express.json({ limit: '1mb' }), (_req, res) => void res.json({}));
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
