import { useSearchParams } from "@remix-run/react";

/**
 * The URL's search params and a setter for one of them. Setting a filter starts over at the
 * first page: it drops `page`, the cursor into the previous results.
 */
export function useFilterParams(page: string) {
  const [params, setParams] = useSearchParams();
  const setParam = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    if (name !== page) next.delete(page);
    setParams(next);
  };
  return { params, setParams, setParam };
}
