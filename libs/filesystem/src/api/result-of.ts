/** What method `K` of service `S` resolves to (controllers answer with the service's own result types). */
export type ResultOf<S, K extends keyof S> = S[K] extends (...args: never[]) => infer R ? Awaited<R> : never;
