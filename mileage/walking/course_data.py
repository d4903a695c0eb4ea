"""The five walking courses the seed names (WALK-7: 걷기 좋은 길 컨텐츠 발굴 : 5개코스).

Routes are GeoJSON LineStrings in [longitude, latitude] (WGS84), traced by hand through the
well-known landmarks of each route; lengths are walking lengths
rounded to 0.5 km (paths wind more than the traced polyline).
"""

from __future__ import annotations

from typing import Any


def _line(*points: tuple[float, float]) -> dict[str, Any]:
    """GeoJSON from (lat, lon) pairs, the order people read coordinates off a map."""
    return {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in points]}


COURSES: list[dict[str, Any]] = [
    {
        "slug": "seochon",
        "name_ko": "서촌문화마을길",
        "name_en": "Seochon Culture Village Walk",
        "district": "종로구",
        "length_km": "2.5",
        "minutes": 50,
        "description": (
            "경복궁역에서 출발해 통인시장, 박노수미술관, 수성동계곡을 지나 사직단까지 "
            "한옥과 골목, 작은 책방이 이어지는 서촌 마을길입니다."
        ),
        "route": _line(
            (37.57582, 126.97353),  # 경복궁역 2번 출구
            (37.57788, 126.97190),  # 자하문로 (대오서점 골목)
            (37.58070, 126.97002),  # 통인시장
            (37.58182, 126.96862),  # 박노수미술관
            (37.58290, 126.96700),  # 옥인길
            (37.58430, 126.96550),  # 수성동계곡
            (37.58120, 126.96640),  # 필운대로
            (37.57870, 126.96740),  # 배화여대 (필운대)
            (37.57590, 126.96830),  # 사직단
        ),
    },
    {
        "slug": "ihwa",
        "name_ko": "이화동벽화마을",
        "name_en": "Ihwa-dong Mural Village",
        "district": "종로구",
        "length_km": "2.0",
        "minutes": 50,
        "description": (
            "혜화역과 마로니에공원에서 낙산공원에 올라 성곽을 따라 이화동 벽화마을 "
            "계단길을 내려와 흥인지문 쪽 낙산성곽공원까지 걷는 길입니다."
        ),
        "route": _line(
            (37.58220, 127.00180),  # 혜화역 2번 출구
            (37.58060, 127.00300),  # 마로니에공원
            (37.57940, 127.00520),  # 이화장길
            (37.58060, 127.00760),  # 낙산공원
            (37.57820, 127.00700),  # 이화동 벽화마을 (천사계단)
            (37.57680, 127.00630),  # 이화동 마을박물관
            (37.57440, 127.00800),  # 낙산성곽길
            (37.57140, 127.00920),  # 흥인지문 (동대문성곽공원)
        ),
    },
    {
        "slug": "yangjaecheon",
        "name_ko": "양재천 문화산책길",
        "name_en": "Yangjaecheon Stream Culture Walk",
        "district": "서초구·강남구",
        "length_km": "4.0",
        "minutes": 70,
        "description": (
            "양재시민의숲에서 양재천 둑길을 따라 카페거리와 영동교들을 지나 대치교까지, "
            "물길과 메타세쿼이아 가로수를 따라 걷는 산책길입니다."
        ),
        "route": _line(
            (37.47000, 127.03850),  # 양재시민의숲역
            (37.47400, 127.04000),  # 양재천 합류부
            (37.47700, 127.04200),  # 영동1교
            (37.47940, 127.04460),  # 양재천 카페거리
            (37.48200, 127.04900),  # 영동2교
            (37.48450, 127.05400),  # 영동3교
            (37.48700, 127.05900),  # 도곡 양재천 둔치
            (37.49060, 127.06600),  # 대치교
        ),
    },
    {
        "slug": "palaces",
        "name_ko": "도심고궁길",
        "name_en": "Downtown Palaces Walk",
        "district": "중구·종로구",
        "length_km": "4.0",
        "minutes": 80,
        "description": (
            "덕수궁 대한문에서 광화문과 경복궁 동십자각을 지나 북촌 아래 창덕궁 돈화문, "
            "창경궁을 거쳐 종묘까지 서울의 궁궐을 잇는 길입니다."
        ),
        "route": _line(
            (37.56560, 126.97690),  # 덕수궁 대한문
            (37.56800, 126.97700),  # 서울시의회 앞
            (37.57090, 126.97690),  # 광화문광장 (세종대왕상)
            (37.57590, 126.97680),  # 광화문
            (37.57580, 126.98130),  # 동십자각
            (37.57700, 126.98500),  # 율곡로 (안국역)
            (37.57940, 126.99100),  # 창덕궁 돈화문
            (37.57900, 126.99500),  # 창경궁 홍화문
            (37.57600, 126.99480),  # 율곡로 구름다리
            (37.57440, 126.99410),  # 종묘
        ),
    },
    {
        "slug": "gyeongui",
        "name_ko": "경의선숲길",
        "name_en": "Gyeongui Line Forest Park",
        "district": "마포구·용산구",
        "length_km": "6.3",
        "minutes": 100,
        "description": (
            "옛 경의선 철길 위에 만든 공원길로, 연남동에서 홍대입구·서강대·대흥·공덕역을 "
            "지나 효창공원앞역을 지나 원효로까지 이어집니다."
        ),
        "route": _line(
            (37.56630, 126.91930),  # 연남동 북단 (가좌 방향)
            (37.56100, 126.92200),  # 연트럴파크
            (37.55720, 126.92440),  # 홍대입구역
            (37.55500, 126.92900),  # 와우교
            (37.55270, 126.93570),  # 서강대역
            (37.54770, 126.94250),  # 대흥역
            (37.54410, 126.95160),  # 공덕역
            (37.54150, 126.95600),  # 새창고개
            (37.53930, 126.96140),  # 효창공원앞역
            (37.53650, 126.96700),  # 원효로 (숲길 끝)
        ),
    },
]
