/**
 * A worker thread with its own SQLite connection that signs up `phones` for a session once every
 * worker is ready, so sign-ups from several connections race for the same seats.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../src/lib/db/index.ts';
import { signUp } from '../../src/lib/trainings/signups.ts';

const { file, sessionId, villageCode, phones, gate } = workerData as { file: string; sessionId: number; villageCode: string; phones: string[]; gate: SharedArrayBuffer };
const db = openDatabase(file, { migrate: false });
const flag = new Int32Array(gate);
Atomics.add(flag, 1, 1);
Atomics.wait(flag, 0, 0);
const statuses = phones.map((phone) => signUp(db, sessionId, { name: '并发测试', phone, villageCode }).status);
db.close();
parentPort!.postMessage(statuses);
